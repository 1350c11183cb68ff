/**
 * Who answers an office proxy that asks for a username and password (Basic/Digest; NTLM and Kerberos never get
 * here, Chromium answers those itself). The rules:
 *
 * - Credentials the person gave are sent without asking again: from this run's memory, or from the vault
 *   (`proxy:<host>:<port>`) when they chose "Remember on this computer".
 * - The proxy asking again on the same request means it refused what it was sent: those are forgotten and the
 *   person is asked, told that the last ones were not accepted. So at most one automatic answer per challenge
 *   series, and never a loop of wrong passwords (which also locks accounts on many office proxies).
 * - Challenges for the same proxy while a question is open share that one question.
 * - No answer within two minutes cancels, as does the person's Cancel. Then the app stops asking about that proxy
 *   for a while (checks retry every few seconds after a failure, and a window that keeps popping up is worse than
 *   a failed check), until the person asks for a check themselves.
 *
 * Plain TypeScript: the Electron side (main/platform/proxy-auth.ts) only turns events into `respond` calls.
 */
import type { ProxyAuthAnswer, ProxyAuthRequest } from '../../common/contract'
import type { Clock, SecretVault, TimerHandle } from './ports'

/** One 407 from a proxy, as Electron describes it. */
export interface ProxyChallenge {
  host: string
  port: number
  realm: string
  scheme: string
  /**
   * The same request already answered this proxy and was challenged again: what it sent was refused.
   * `sent` is what was sent, when the platform knows it.
   */
  repeat?: { sent?: ProxyCredentials }
}

export interface ProxyCredentials {
  username: string
  password: string
}

export interface ProxyAuthDeps {
  vault: SecretVault
  clock: Clock
  /** Put the question in front of the person (show the window and push the request). */
  ask(request: ProxyAuthRequest): void
  /** The person gave credentials: the check that was waiting has most likely failed meanwhile, so check again. */
  onAnswered?(): void
  /** How long a question waits for the person; two minutes by default. */
  timeoutMs?: number
  newId?: () => string
}

export const PROXY_QUESTION_TIMEOUT_MS = 2 * 60_000
/** After Cancel (or no answer), challenges from that proxy are cancelled without asking for this long. */
export const QUIET_AFTER_DISMISS_MS = 10 * 60_000

export class ProxyAuth {
  private readonly thisRun = new Map<string, ProxyCredentials>()
  private readonly open = new Map<string, OpenQuestion>()
  /** Every question asked this run, by id, so a late answer still reaches its proxy. */
  private readonly askedFor = new Map<string, string>()
  private readonly dismissedAt = new Map<string, number>()
  private nextId = 1

  constructor(private readonly deps: ProxyAuthDeps) {}

  static vaultKey(host: string, port: number): string {
    return `proxy:${host.toLowerCase()}:${port}`
  }

  /** What to send the proxy: credentials, or null to cancel the request's authentication. Never rejects. */
  async respond(challenge: ProxyChallenge): Promise<ProxyCredentials | null> {
    const key = ProxyAuth.vaultKey(challenge.host, challenge.port)
    const waiting = this.open.get(key)
    if (waiting) return this.wait(waiting)
    if (challenge.repeat) {
      const newer = await this.forgetRefused(key, challenge.repeat.sent)
      return newer ?? this.ask(key, challenge, true)
    }
    const known = await this.known(key)
    if (known) return known
    if (this.quiet(key)) return null
    return this.ask(key, challenge, false)
  }

  /** The person's answer from the window. An answer that comes after its question timed out still counts. */
  async answer(answer: ProxyAuthAnswer): Promise<void> {
    const key = this.askedFor.get(answer.id)
    if (key === undefined) return
    const question = this.open.get(key)
    const current = question?.request.id === answer.id ? question : null
    if ('cancel' in answer) {
      if (current) this.settle(current, null)
      return
    }
    const credentials = { username: answer.username, password: answer.password }
    this.thisRun.set(key, credentials)
    this.dismissedAt.delete(key)
    await this.store(key, credentials, answer.remember)
    if (current) this.settle(current, credentials)
    this.deps.onAnswered?.()
  }

  /** The person asked for a check: a proxy they dismissed earlier may ask again. */
  resumeAsking(): void {
    this.dismissedAt.clear()
  }

  /** Questions still waiting for the person (a window that was reloaded can show them again). */
  pending(): ProxyAuthRequest[] {
    return [...this.open.values()].map((q) => q.request)
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private ask(key: string, challenge: ProxyChallenge, retry: boolean): Promise<ProxyCredentials | null> {
    // Another challenge may have opened the question while this one read the vault.
    const waiting = this.open.get(key)
    if (waiting) return this.wait(waiting)
    const id = this.deps.newId?.() ?? `proxy-${this.nextId++}`
    const request: ProxyAuthRequest = {
      id,
      host: challenge.host,
      port: challenge.port,
      realm: challenge.realm,
      scheme: challenge.scheme,
      retry,
    }
    const question: OpenQuestion = { key, request, waiters: [], timer: null }
    question.timer = this.deps.clock.setTimeout(
      () => this.settle(question, null),
      this.deps.timeoutMs ?? PROXY_QUESTION_TIMEOUT_MS,
    )
    this.open.set(key, question)
    this.askedFor.set(id, key)
    const answered = this.wait(question)
    this.deps.ask(request)
    return answered
  }

  private wait(question: OpenQuestion): Promise<ProxyCredentials | null> {
    return new Promise((resolve) => question.waiters.push(resolve))
  }

  /** Ends a question for every challenge waiting on it; no credentials means it was dismissed. */
  private settle(question: OpenQuestion, credentials: ProxyCredentials | null): void {
    if (this.open.get(question.key) !== question) return
    this.open.delete(question.key)
    if (question.timer !== null) this.deps.clock.clearTimeout(question.timer)
    if (!credentials) this.dismissedAt.set(question.key, this.deps.clock.monotonicNow())
    for (const resolve of question.waiters) resolve(credentials)
  }

  private quiet(key: string): boolean {
    const at = this.dismissedAt.get(key)
    // Monotonic, so a clock set back a day does not keep the person from being asked for a day.
    return at !== undefined && this.deps.clock.monotonicNow() - at < QUIET_AFTER_DISMISS_MS
  }

  private async known(key: string): Promise<ProxyCredentials | null> {
    const inMemory = this.thisRun.get(key)
    if (inMemory) return inMemory
    const stored = await this.deps.vault.get(key).catch(() => null)
    return stored === null ? null : parseCredentials(stored)
  }

  /**
   * Forgets the refused credentials. Should the person have given other ones since this request sent its own
   * (several requests challenged at once), those were not refused: they are the answer.
   */
  private async forgetRefused(
    key: string,
    sent: ProxyCredentials | undefined,
  ): Promise<ProxyCredentials | null> {
    const known = await this.known(key)
    if (known && sent && !sameCredentials(known, sent)) return known
    this.thisRun.delete(key)
    await this.deps.vault.delete(key).catch(() => undefined)
    return null
  }

  private async store(key: string, credentials: ProxyCredentials, remember: boolean): Promise<void> {
    // Unticking "Remember" also removes what an earlier answer left on this computer.
    const write = remember
      ? this.deps.vault.set(key, JSON.stringify(credentials))
      : this.deps.vault.delete(key)
    // Without the vault the credentials still serve this run, which is all a failed write can cost.
    await write.catch(() => undefined)
  }
}

interface OpenQuestion {
  key: string
  request: ProxyAuthRequest
  waiters: ((credentials: ProxyCredentials | null) => void)[]
  timer: TimerHandle | null
}

function parseCredentials(stored: string): ProxyCredentials | null {
  try {
    const value: unknown = JSON.parse(stored)
    if (typeof value !== 'object' || value === null) return null
    const { username, password } = value as Record<string, unknown>
    if (typeof username !== 'string' || typeof password !== 'string' || username === '') return null
    return { username, password }
  } catch {
    return null
  }
}

function sameCredentials(a: ProxyCredentials, b: ProxyCredentials): boolean {
  return a.username === b.username && a.password === b.password
}
