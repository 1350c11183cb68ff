/**
 * The access token `seat-tray status` keeps between runs. Zoho allows 10 access tokens per refresh token per
 * 10 minutes and each lives an hour, so a check run every minute must reuse one instead of asking each time.
 *
 * - Only the access token, its expiry and API domain are kept, never the refresh token or the client secret.
 * - One file per (accounts server, client id, refresh token), named by a SHA-256 of the three: a new refresh token
 *   or another org never picks up a stale token, and the name reveals nothing.
 * - 0600 in a 0700 folder; a file another user could read or write is ignored and replaced.
 * - Written to a temp file and renamed, so a reader never sees half a file. Two checks at once: whoever misses takes
 *   a lock file, reads again (the other may just have written), and only then asks Zoho.
 */
import { createHash } from 'node:crypto'
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { holdingClock, sleep } from '../core/ports'
import type { TokenGrant } from '../core/zoho/parse'
import type { Env } from './config'

export interface CachedToken {
  accessToken: string
  apiDomain: string
  expiresAt: number
}

/** A lock older than this was left by a run that died: a check's whole budget is far shorter. */
const STALE_LOCK_MS = 60_000
const LOCK_POLL_MS = 25

/** The platform's cache folder: XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows. */
export function defaultCacheDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || homedir()
  if (platform === 'win32')
    return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'seat-tray', 'Cache')
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'seat-tray')
  const xdg = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache')
  return join(xdg, 'seat-tray')
}

export class TokenCache {
  readonly file: string
  private readonly lockFile: string

  constructor(
    readonly dir: string,
    key: { accountsServer: string; clientId: string; refreshToken: string },
  ) {
    const hash = createHash('sha256')
      .update(`${key.accountsServer}\n${key.clientId}\n${key.refreshToken}`)
      .digest('hex')
    this.file = join(dir, `token-${hash.slice(0, 32)}.json`)
    this.lockFile = `${this.file}.lock`
  }

  /** The kept token, or null when there is none, it is unreadable, or it is not ours alone. */
  read(): CachedToken | null {
    try {
      const st = lstatSync(this.file)
      if (!st.isFile() || (st.mode & 0o077) !== 0) return null
      if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return null
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<CachedToken>
      if (typeof v.accessToken !== 'string' || typeof v.apiDomain !== 'string') return null
      if (typeof v.expiresAt !== 'number' || !Number.isFinite(v.expiresAt)) return null
      return { accessToken: v.accessToken, apiDomain: v.apiDomain, expiresAt: v.expiresAt }
    } catch {
      return null
    }
  }

  /** Never throws: a cache that cannot be written costs a token request next time, not this check. */
  write(grant: TokenGrant, apiDomain: string): void {
    const value: CachedToken = { accessToken: grant.accessToken, apiDomain, expiresAt: grant.expiresAt }
    const temp = `${this.file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 })
      writeFileSync(temp, JSON.stringify(value), { mode: 0o600, flag: 'wx' })
      renameSync(temp, this.file)
    } catch {
      rmSync(temp, { force: true })
    }
  }

  /** Zoho rejected the kept token (INVALID_TOKEN): forget it so no later run tries it again. */
  drop(): void {
    rmSync(this.file, { force: true })
  }

  /**
   * Runs `fn` holding the lock, so only one of several concurrent checks asks Zoho. Waits at most until `deadline`
   * (ms since the epoch), then runs without it: a late check is worse than a second token request.
   */
  async locked<T>(deadline: number, fn: () => Promise<T>): Promise<T> {
    const held = await this.acquire(deadline)
    try {
      return await fn()
    } finally {
      if (held) rmSync(this.lockFile, { force: true })
    }
  }

  private async acquire(deadline: number): Promise<boolean> {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    } catch {
      return false
    }
    for (;;) {
      try {
        writeFileSync(this.lockFile, String(process.pid), { mode: 0o600, flag: 'wx' })
        return true
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false
      }
      if (this.lockIsStale()) {
        rmSync(this.lockFile, { force: true })
        continue
      }
      if (Date.now() + LOCK_POLL_MS > deadline) return false
      await sleep(holdingClock, LOCK_POLL_MS)
    }
  }

  /** Left by a run that died (killed by the scheduler's timeout, say): its process is gone, or it is too old. */
  private lockIsStale(): boolean {
    try {
      if (Date.now() - statSync(this.lockFile).mtimeMs > STALE_LOCK_MS) return true
      const pid = Number(readFileSync(this.lockFile, 'utf8'))
      if (!Number.isInteger(pid) || pid <= 0) return false
      process.kill(pid, 0)
      return false
    } catch (error) {
      // ESRCH: no such process. EPERM: it exists (another user's), so the lock is live. Gone: stale by definition.
      return (error as NodeJS.ErrnoException).code !== 'EPERM'
    }
  }
}
