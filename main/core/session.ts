/**
 * One account's tokens. The access token is cached and refreshed only near expiry or after Zoho rejects it,
 * one refresh at a time, because Zoho allows only 10 access tokens per refresh token in 10 minutes and punishes
 * more with a throttle. A rejected refresh token or client stops all further token calls until the person acts.
 */
import type { AccountId } from '../../common/model'
import { type Problem, problem } from '../../common/problems'
import { SeatTrayError } from './errors'
import type { SecretVault } from './ports'
import type { HostPolicy } from './zoho/datacenters'
import type { HttpDeps } from './zoho/http'
import { refreshAccessToken, revokeToken, type ZohoClient } from './zoho/oauth'
import { TOKEN_THROTTLE_MS, type TokenGrant, TokenRejectedError } from './zoho/parse'

export interface SessionAccount {
  id: AccountId
  accountsServer: string
  apiDomain: string
}

export type SessionDeps = HttpDeps & {
  vault: SecretVault
  hostPolicy: HostPolicy
  /** Told of each access token a refresh brings, so the CLI can keep it for its next run. */
  onGrant?: (grant: TokenGrant) => void
}

/** Refresh when less than this is left, so a token never runs out between asking for it and using it. */
export const REFRESH_MARGIN_MS = 5 * 60_000

export class Session {
  /** `expiresAt` is on the monotonic clock, so a wall-clock change neither keeps a dead token nor drops a live one. */
  private cached: { token: string; expiresAt: number } | null = null
  private refreshing: Promise<string> | null = null
  /** Set once retrying cannot help: the refresh token or the client was rejected, or the person signed out. */
  private stopped: Problem | null = null
  /** Monotonic: a clock set back a day must not stretch Zoho's 15-minute throttle into a day, nor forward end it. */
  private throttledUntil = Number.NEGATIVE_INFINITY
  private domain: string

  constructor(
    private readonly deps: SessionDeps,
    readonly account: SessionAccount,
    private readonly client: ZohoClient,
  ) {
    this.domain = account.apiDomain
  }

  static vaultKey(id: AccountId): string {
    return `refresh:${id}`
  }

  static store(vault: SecretVault, id: AccountId, refreshToken: string): Promise<void> {
    return vault.set(Session.vaultKey(id), refreshToken)
  }

  /** Where CRM calls go; follows the api_domain a refresh names. */
  get apiDomain(): string {
    return this.domain
  }

  /** Why this session will not ask Zoho for a token right now, or null. */
  get blockedBy(): Problem | null {
    if (this.stopped) return this.stopped
    const left = this.throttledUntil - this.deps.clock.monotonicNow()
    return left > 0 ? problem('token-throttled', { retryAfterMs: left }) : null
  }

  /** Use the access token a sign-in just produced, instead of spending a refresh on the first check. */
  adopt(grant: TokenGrant): void {
    const clock = this.deps.clock
    // A grant says when it expires in wall time; what counts is how long it has left.
    this.cached = {
      token: grant.accessToken,
      expiresAt: clock.monotonicNow() + (grant.expiresAt - clock.now()),
    }
    if (grant.apiDomain) this.domain = grant.apiDomain
  }

  accessToken(): Promise<string> {
    const cached = this.cached
    if (cached && cached.expiresAt - this.deps.clock.monotonicNow() > REFRESH_MARGIN_MS)
      return Promise.resolve(cached.token)
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  /** Runs a CRM call with a token; if Zoho rejects the token, refreshes once and retries once, never more. */
  async withToken<T>(call: (token: string, apiDomain: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken()
    try {
      return await call(token, this.domain)
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error
      // Another call may have replaced the token already; only a token still cached is forgotten.
      if (this.cached?.token === token) this.cached = null
      return call(await this.accessToken(), this.domain)
    }
  }

  /** Revokes at Zoho if it can (a failure is not fatal), then forgets the refresh token here for good. */
  async signOut(): Promise<void> {
    this.stopped = problem('signed-out')
    this.cached = null
    const key = Session.vaultKey(this.account.id)
    const refreshToken = await this.deps.vault.get(key)
    if (refreshToken) {
      try {
        await revokeToken(this.deps, {
          accountsServer: this.account.accountsServer,
          token: refreshToken,
          hostPolicy: this.deps.hostPolicy,
        })
      } catch {
        // Offline or Zoho unhappy: the token is deleted here anyway, and the person can revoke it in Zoho's console.
      }
    }
    await this.deps.vault.delete(key)
  }

  private async refresh(): Promise<string> {
    const blocked = this.blockedBy
    if (blocked) throw new SeatTrayError(blocked)
    const refreshToken = await this.deps.vault.get(Session.vaultKey(this.account.id))
    if (!refreshToken)
      throw new SeatTrayError(problem('reauth-needed', { detail: 'no refresh token stored' }))
    try {
      const grant = await refreshAccessToken(this.deps, {
        client: this.client,
        accountsServer: this.account.accountsServer,
        refreshToken,
        hostPolicy: this.deps.hostPolicy,
      })
      if (this.stopped) throw new SeatTrayError(this.stopped)
      this.adopt(grant)
      this.deps.onGrant?.(grant)
      return grant.accessToken
    } catch (error) {
      if (error instanceof SeatTrayError) this.remember(error.problem)
      throw error
    }
  }

  private remember(p: Problem): void {
    // The client is fixed for this session's life, so a rejected client can no more succeed than a revoked token.
    if (p.kind === 'reauth-needed' || p.kind === 'invalid-client') this.stopped ??= p
    if (p.kind === 'token-throttled') {
      this.throttledUntil = this.deps.clock.monotonicNow() + (p.retryAfterMs ?? TOKEN_THROTTLE_MS)
    }
  }
}
