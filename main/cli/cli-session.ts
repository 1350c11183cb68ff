/**
 * One run's Zoho session for the CLI (`status`, `users`): the refresh token held in memory only, and the access
 * token kept between runs in the token cache, so a check every minute spends one of Zoho's 10 tokens per 10 minutes
 * at most once an hour.
 */
import { MemoryVault } from '../core/memory-vault'
import type { Clock, FetchLike } from '../core/ports'
import { REFRESH_MARGIN_MS, Session } from '../core/session'
import type { CrmCall } from '../core/zoho/crm'
import { TokenRejectedError } from '../core/zoho/parse'
import type { ZohoConfig } from './config'
import { type CachedToken, TokenCache } from './token-cache'

/** Every CLI run is one account; its id only names the refresh token in the in-memory vault. */
export const CLI_ACCOUNT = 'cli'

export class CliSession {
  readonly session: Session
  private readonly cache: TokenCache | null

  private constructor(
    private readonly config: ZohoConfig,
    private readonly clock: Clock,
    session: (cache: TokenCache | null) => Session,
    cacheDir: string | null,
  ) {
    this.cache = cacheDir === null ? null : new TokenCache(cacheDir, config)
    this.session = session(this.cache)
  }

  static async open(
    config: ZohoConfig,
    o: { timeoutMs: number; cacheDir: string | null },
    deps: { fetch: FetchLike; clock: Clock },
  ): Promise<CliSession> {
    const vault = new MemoryVault()
    await Session.store(vault, CLI_ACCOUNT, config.refreshToken)
    return new CliSession(
      config,
      deps.clock,
      (cache) => {
        const session: Session = new Session(
          {
            fetch: deps.fetch,
            clock: deps.clock,
            vault,
            hostPolicy: config.hostPolicy,
            timeoutMs: o.timeoutMs,
            onGrant: (grant) => cache?.write(grant, session.apiDomain),
          },
          {
            id: CLI_ACCOUNT,
            accountsServer: config.accountsServer,
            apiDomain: config.apiDomain ?? config.guessedApiDomain,
          },
          { clientId: config.clientId, clientSecret: config.clientSecret },
        )
        return session
      },
      o.cacheDir,
    )
  }

  /**
   * Starts from a kept token while it is fresh. With `lockDeadline`, only one of several checks started together
   * asks Zoho; the others find its token when they get the lock (waiting at most until then).
   */
  async warm(lockDeadline?: number): Promise<void> {
    const cache = this.cache
    if (!cache) return
    const kept = cache.read()
    if (this.fresh(kept)) return this.adopt(kept)
    if (lockDeadline === undefined) return
    await cache.locked(lockDeadline, async () => {
      const again = cache.read()
      if (this.fresh(again)) this.adopt(again)
      else await this.session.accessToken()
    })
  }

  /** A CRM call with the access token; a token Zoho rejects is dropped, so no later run tries it again. */
  withToken<T>(fn: (call: CrmCall) => Promise<T>): Promise<T> {
    return this.session.withToken(async (token, apiDomain) => {
      try {
        return await fn({
          apiDomain: this.config.apiDomain ?? apiDomain,
          accessToken: token,
          hostPolicy: this.config.hostPolicy,
        })
      } catch (error) {
        if (error instanceof TokenRejectedError && this.cache?.read()?.accessToken === token)
          this.cache.drop()
        throw error
      }
    })
  }

  private fresh(t: CachedToken | null): t is CachedToken {
    return t !== null && t.expiresAt - this.clock.now() > REFRESH_MARGIN_MS
  }

  private adopt(t: CachedToken): void {
    this.session.adopt({ ...t, refreshToken: null })
  }
}
