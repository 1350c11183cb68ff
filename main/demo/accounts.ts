/**
 * Zoho Accounts as the simulator plays it: pending consents, grant codes, refresh and access tokens, and the
 * token-endpoint rules (HTTP-200 errors, PKCE, per-DC tokens, 10 access tokens per refresh token per 10 minutes).
 * No HTTP here: the simulator turns these answers into responses. Time is whatever `now` the caller passes.
 *
 * Everything is bounded: codes and pending consents expire, access tokens expire and at most 10 live per refresh
 * token, and a client keeps at most 20 refresh tokens (the 21st evicts the oldest, as Zoho does).
 */
import { createHash, randomBytes } from 'node:crypto'

/** The simulator's data centers: the main listener plays US, the 'second-dc' listener plays EU. */
export type SimDc = 'us' | 'eu'

export interface SimClient {
  clientId: string
  clientSecret: string
}

export const CODE_LIFETIME_MS = 2 * 60_000
export const ACCESS_TOKEN_LIFETIME_S = 3600
export const CONSENT_LIFETIME_MS = 10 * 60_000
export const MINT_WINDOW_MS = 10 * 60_000
export const MINTS_PER_WINDOW = 10
const ACTIVE_ACCESS_TOKENS_PER_REFRESH = 10
const REFRESH_TOKENS_PER_CLIENT = 20
const PENDING_CONSENTS_MAX = 100

/** Zoho's throttle answer, word for word (HTTP 200). */
export const THROTTLED_BODY = {
  error_description: 'You have made too many requests continuously. Please try again after some time.',
  error: 'Access Denied',
  status: 'failure',
} as const

export interface AuthorizeRequest {
  clientId: string
  redirectUri: string
  scopes: string[]
  codeChallenge: string
  state: string | null
  offline: boolean
}

export interface PendingConsent extends AuthorizeRequest {
  id: string
  dc: SimDc
  expiresAt: number
}

/** A token endpoint answer: Zoho sends errors as HTTP 200 with an `error` field, so status is usually 200. */
export interface TokenAnswer {
  status: number
  body: Record<string, unknown>
}

/** Unknown, expired, evicted and other-DC tokens are all simply not ok: Zoho calls each INVALID_TOKEN. */
export type AccessCheck = { ok: true; scopes: string[] } | { ok: false }

interface GrantCode extends AuthorizeRequest {
  code: string
  dc: SimDc
  expiresAt: number
}

interface RefreshTokenRecord {
  token: string
  dc: SimDc
  clientId: string
  scopes: string[]
  createdAt: number
  /** When access tokens were minted from it, within the last MINT_WINDOW_MS. */
  mints: number[]
  /** Live access tokens made from it, oldest first. */
  accessTokens: string[]
}

interface AccessTokenRecord {
  dc: SimDc
  refreshToken: string | null
  scopes: string[]
  expiresAt: number
}

export class SimAccounts {
  private readonly consents = new Map<string, PendingConsent>()
  private readonly codes = new Map<string, GrantCode>()
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>()
  private readonly accessTokens = new Map<string, AccessTokenRecord>()

  constructor(
    readonly client: SimClient,
    /** Where CRM calls go for tokens of each DC. */
    private readonly apiDomains: Record<SimDc, string>,
  ) {}

  /** A refresh token as if someone had signed in with both scopes, so tests and the CLI can skip the browser. */
  mintRefreshToken(dc: SimDc, scopes: string[], now: number): string {
    const token = zohoToken()
    this.refreshTokens.set(token, {
      token,
      dc,
      clientId: this.client.clientId,
      scopes,
      createdAt: now,
      mints: [],
      accessTokens: [],
    })
    this.evictOldestRefreshTokens()
    return token
  }

  beginConsent(dc: SimDc, request: AuthorizeRequest, now: number): PendingConsent {
    this.sweep(now)
    const consent: PendingConsent = {
      ...request,
      id: randomBytes(16).toString('hex'),
      dc,
      expiresAt: now + CONSENT_LIFETIME_MS,
    }
    this.consents.set(consent.id, consent)
    // A page reloaded a thousand times must not grow memory without end.
    while (this.consents.size > PENDING_CONSENTS_MAX) this.consents.delete(this.consents.keys().next().value!)
    return consent
  }

  /**
   * Takes a pending consent (once) and, when accepted, issues a grant code for it at `homeDc`: Zoho forwards a
   * sign-in that started elsewhere to the user's own DC, and only that DC will exchange the code.
   */
  finishConsent(
    id: string,
    accepted: boolean,
    now: number,
    homeDc: SimDc,
  ): { consent: PendingConsent; code?: string } | undefined {
    this.sweep(now)
    const consent = this.consents.get(id)
    if (!consent) return undefined
    this.consents.delete(id)
    if (!accepted) return { consent }
    const code = zohoToken()
    this.codes.set(code, { ...consent, code, dc: homeDc, expiresAt: now + CODE_LIFETIME_MS })
    return { consent, code }
  }

  /** `POST /oauth/v2/token` at the accounts server of `dc`. */
  token(dc: SimDc, params: URLSearchParams, now: number): TokenAnswer {
    this.sweep(now)
    const grantType = params.get('grant_type')
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return ok({ error: 'unsupported_grant_type' })
    }
    if (params.get('client_id') !== this.client.clientId) return ok({ error: 'invalid_client' })
    if (params.get('client_secret') !== this.client.clientSecret)
      return ok({ error: 'invalid_client_secret' })
    return grantType === 'authorization_code'
      ? this.exchangeCode(dc, params, now)
      : this.refresh(dc, params, now)
  }

  /** `POST /oauth/v2/token/revoke?token=…`: a refresh token takes its access tokens with it. */
  revoke(dc: SimDc, token: string | null, now: number): TokenAnswer {
    this.sweep(now)
    const refresh = token ? this.refreshTokens.get(token) : undefined
    if (refresh && refresh.dc === dc) {
      this.dropRefreshToken(refresh)
      return ok({ status: 'success' })
    }
    const access = token ? this.accessTokens.get(token) : undefined
    if (token && access && access.dc === dc) {
      this.accessTokens.delete(token)
      return ok({ status: 'success' })
    }
    return { status: 400, body: { status: 'failure', error: 'invalid_token' } }
  }

  /** Forget every refresh and access token: what a user does with "revoke all" in Zoho's account page. */
  revokeAll(): void {
    this.refreshTokens.clear()
    this.accessTokens.clear()
  }

  /** Who holds this access token, if it is valid at the API domain of `dc`. */
  checkAccessToken(dc: SimDc, token: string, now: number): AccessCheck {
    this.sweep(now)
    const record = this.accessTokens.get(token)
    if (!record || record.dc !== dc) return { ok: false }
    return { ok: true, scopes: record.scopes }
  }

  /** How many live codes, consents and tokens are held: lets a test prove nothing grows without end. */
  sizes(now: number): { consents: number; codes: number; refreshTokens: number; accessTokens: number } {
    this.sweep(now)
    return {
      consents: this.consents.size,
      codes: this.codes.size,
      refreshTokens: this.refreshTokens.size,
      accessTokens: this.accessTokens.size,
    }
  }

  private exchangeCode(dc: SimDc, params: URLSearchParams, now: number): TokenAnswer {
    const grant = this.codes.get(params.get('code') ?? '')
    if (!grant) return ok({ error: 'invalid_code' })
    // Zoho answers a code from another DC as an unknown client (S35), and the code stays usable where it belongs.
    if (grant.dc !== dc) return ok({ error: 'invalid_client' })
    // Single use, even when this attempt fails: a replayed or guessed exchange burns the code.
    this.codes.delete(grant.code)
    if (grant.clientId !== params.get('client_id')) return ok({ error: 'invalid_client' })
    if (grant.redirectUri !== params.get('redirect_uri')) return ok({ error: 'invalid_redirect_uri' })
    const verifier = params.get('code_verifier')
    if (!verifier || s256(verifier) !== grant.codeChallenge) return ok({ error: 'invalid_code' })

    const access = this.mintAccessToken(dc, null, grant.scopes, now)
    const body: Record<string, unknown> = { access_token: access }
    if (grant.offline) {
      const refreshToken = this.mintRefreshToken(dc, grant.scopes, now)
      this.attach(this.refreshTokens.get(refreshToken)!, access, now)
      body.refresh_token = refreshToken
    }
    return ok({
      ...body,
      api_domain: this.apiDomains[dc],
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_S,
    })
  }

  private refresh(dc: SimDc, params: URLSearchParams, now: number): TokenAnswer {
    const record = this.refreshTokens.get(params.get('refresh_token') ?? '')
    if (!record) return ok({ error: 'invalid_code' })
    if (record.dc !== dc) return ok({ error: 'invalid_client' })
    record.mints = record.mints.filter((at) => at > now - MINT_WINDOW_MS)
    if (record.mints.length >= MINTS_PER_WINDOW) return ok(THROTTLED_BODY)
    const access = this.mintAccessToken(dc, record.token, record.scopes, now)
    this.attach(record, access, now)
    return ok({
      access_token: access,
      api_domain: this.apiDomains[dc],
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_S,
    })
  }

  private mintAccessToken(dc: SimDc, refreshToken: string | null, scopes: string[], now: number): string {
    const token = zohoToken()
    this.accessTokens.set(token, {
      dc,
      refreshToken,
      scopes,
      expiresAt: now + ACCESS_TOKEN_LIFETIME_S * 1000,
    })
    return token
  }

  /** Counts a mint against its refresh token; past 10 live tokens the oldest stops working, as at Zoho. */
  private attach(record: RefreshTokenRecord, accessToken: string, now: number): void {
    record.mints.push(now)
    record.accessTokens.push(accessToken)
    while (record.accessTokens.length > ACTIVE_ACCESS_TOKENS_PER_REFRESH) {
      this.accessTokens.delete(record.accessTokens.shift()!)
    }
  }

  private dropRefreshToken(record: RefreshTokenRecord): void {
    for (const access of record.accessTokens) this.accessTokens.delete(access)
    this.refreshTokens.delete(record.token)
  }

  private evictOldestRefreshTokens(): void {
    while (this.refreshTokens.size > REFRESH_TOKENS_PER_CLIENT) {
      let oldest: RefreshTokenRecord | undefined
      for (const r of this.refreshTokens.values()) if (!oldest || r.createdAt < oldest.createdAt) oldest = r
      this.dropRefreshToken(oldest!)
    }
  }

  private sweep(now: number): void {
    for (const [id, c] of this.consents) if (c.expiresAt <= now) this.consents.delete(id)
    for (const [code, g] of this.codes) if (g.expiresAt <= now) this.codes.delete(code)
    for (const [token, a] of this.accessTokens) {
      if (a.expiresAt > now) continue
      this.accessTokens.delete(token)
      const parent = a.refreshToken ? this.refreshTokens.get(a.refreshToken) : undefined
      if (parent) parent.accessTokens = parent.accessTokens.filter((t) => t !== token)
    }
  }
}

/** The S256 code challenge of a PKCE verifier (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

/** Zoho's tokens look like `1000.<hex>.<hex>`; ours do too so parsers meet realistic strings. */
function zohoToken(): string {
  return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`
}

function ok(body: Record<string, unknown>): TokenAnswer {
  return { status: 200, body: { ...body } }
}
