/**
 * Zoho's answers, read defensively: every parser returns a value or throws a SeatTrayError, never anything else,
 * whatever the status and body. Shapes follow Zoho's own OpenAPI files (crm-oas v8 features.json and org.json),
 * loosened where Zoho's samples and docs disagree with them (`limit` vs `limits`, optional `edition_limit`).
 */
import { z } from 'zod'
import type { OrgInfo, Snapshot } from '../../../common/model'
import { type Problem, type ProblemKind, problem } from '../../../common/problems'
import { SeatTrayError } from '../errors'

/** What a token request yields. `apiDomain` is '' when Zoho did not name one (refresh answers may omit it). */
export interface TokenGrant {
  accessToken: string
  refreshToken: string | null
  apiDomain: string
  /** ms since the epoch */
  expiresAt: number
}

/** How long we leave the token endpoint alone once Zoho throttles it: its window is 10 min, reports say up to 30. */
export const TOKEN_THROTTLE_MS = 15 * 60_000

/** Zoho access tokens live an hour; used when an answer forgets to say. */
const DEFAULT_TOKEN_LIFETIME_MS = 3_600_000

/**
 * The CRM refused the access token (INVALID_TOKEN, AUTHENTICATION_FAILURE): the session refreshes once and retries
 * once. If it reaches a person, it reads as 'reauth-needed'.
 */
export class TokenRejectedError extends SeatTrayError {
  constructor(readonly code: string) {
    super(problem('reauth-needed', { detail: code }))
    this.name = 'TokenRejectedError'
  }
}

export function parseTokenResponse(status: number, body: unknown, now: number): TokenGrant {
  const granted = TokenBody.safeParse(body)
  if (granted.success) return toGrant(granted.data, now)
  throw new SeatTrayError(tokenProblem(status, body))
}

export function parseUserLicenses(status: number, body: unknown, now: number): Snapshot {
  throwIfCrmError(status, body)
  // 204 is Zoho's documented "no data" answer for the __features routes (features.json lists it), so it says
  // so; an empty 200 is not an answer Zoho gives, so it is not taken for one.
  if (status === 204) throw fail('no-license-data', 'HTTP 204, no content')
  if (body === undefined) throw fail('not-zoho', `empty answer (HTTP ${status})`)
  if (typeof body === 'string') throw new SeatTrayError(unreadableText(status, body))
  const features = FeaturesBody.safeParse(body)
  if (!features.success) throw fail('bad-response', 'no __features list')
  const raw = features.data.__features.find(
    (f) => NamedFeature.safeParse(f).data?.api_name === 'user_licenses',
  )
  if (raw === undefined) throw fail('no-license-data', 'no user_licenses feature')
  const feature = UserLicensesFeature.safeParse(raw)
  if (!feature.success) throw fail('bad-response', 'unreadable user_licenses counts')
  return toSnapshot(feature.data.details, now)
}

export function parseOrg(status: number, body: unknown): OrgInfo {
  throwIfCrmError(status, body)
  if (typeof body === 'string') throw new SeatTrayError(unreadableText(status, body))
  const parsed = OrgBody.safeParse(body)
  if (!parsed.success) throw fail('bad-response', 'no org record')
  const org = parsed.data.org[0]!
  const license = org.license_details
  return {
    id: String(org.id),
    name: org.company_name ?? org.domain_name ?? '',
    paidExpiry: isoDate(license?.paid_expiry),
    trialExpiry: isoDate(license?.trial_expiry),
    paid: license?.paid ?? null,
    licensesPurchased: license?.users_license_purchased ?? null,
    // Seat holders link to the org's pages in Zoho CRM, whose addresses carry this (org<digits>); absent if not.
    ...(org.domain_name && /^org\d{1,30}$/.test(org.domain_name) ? { crmDomain: org.domain_name } : {}),
  }
}

/**
 * Maps a CRM answer that is not a success to its Problem; returns quietly for a 2xx that carries no Zoho error.
 * Shared by every CRM parser so the codes mean the same everywhere.
 *
 * Only Zoho's own JSON error (`{"code": …, "status": "error"}`) can name a problem a person must fix. A 403 or 404
 * without it is a proxy's, a firewall's or a captive portal's page: taking it for Zoho's NO_PERMISSION or
 * INVALID_URL_PATTERN once stopped the checks for a day and told the person to sign in again for nothing.
 */
export function throwIfCrmError(status: number, body: unknown): void {
  const error = CrmErrorBody.safeParse(body)
  const code = error.success ? error.data.code : undefined
  if (code !== undefined) {
    if (TOKEN_REJECTED_CODES.has(code)) throw new TokenRejectedError(code)
    const kind = CRM_CODE_KINDS[code]
    if (kind) throw fail(kind, code)
  }
  if (status >= 200 && status < 300 && code === undefined) return
  if (code !== undefined) {
    throw fail(crmStatusKind(status), /^[A-Z_]{1,60}$/.test(code) ? code : `HTTP ${status}`)
  }
  if (status === 429) throw fail('rate-limited', `HTTP ${status}`)
  if (status >= 500) throw fail('server-error', `HTTP ${status}`)
  const shape =
    body === undefined ? 'empty' : typeof body === 'string' ? 'not JSON' : 'JSON, not Zoho’s error'
  throw fail(
    typeof body === 'object' && body !== null ? 'bad-response' : 'not-zoho',
    `HTTP ${status}, ${shape}`,
  )
}

// --- tokens -------------------------------------------------------------------------------------------------------

const TokenBody = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).nullish().catch(null),
  api_domain: z.string().nullish().catch(null),
  expires_in: z.number().positive().nullish().catch(null),
  expires_in_sec: z.number().positive().nullish().catch(null),
})

function toGrant(t: z.infer<typeof TokenBody>, now: number): TokenGrant {
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    apiDomain: t.api_domain ?? '',
    expiresAt: now + lifetimeMs(t),
  }
}

/**
 * `expires_in` is seconds, except in Zoho's legacy answers that also carry `expires_in_sec`: then it is ms.
 * Kept within a minute and a day, so a nonsense value can neither make every call refresh nor keep a token forever.
 */
function lifetimeMs(t: z.infer<typeof TokenBody>): number {
  let ms = DEFAULT_TOKEN_LIFETIME_MS
  if (t.expires_in_sec != null) ms = t.expires_in ?? t.expires_in_sec * 1000
  else if (t.expires_in != null) ms = t.expires_in * 1000
  return Math.min(Math.max(ms, 60_000), 86_400_000)
}

const TokenErrorBody = z.object({
  error: z.string().optional().catch(undefined),
  status: z.string().optional().catch(undefined),
})

const TOKEN_ERROR_KINDS: Record<string, ProblemKind> = {
  invalid_code: 'reauth-needed',
  invalid_client: 'invalid-client',
  invalid_client_secret: 'invalid-client',
  invalid_redirect_uri: 'sign-in-failed',
}

/**
 * Token errors mostly arrive as HTTP 200. Zoho's throttle answer ("Access Denied", status "failure") can be
 * localized, so anything that is JSON but has no access token and no code we know is treated as the throttle:
 * waiting is the one response that can never make things worse.
 */
function tokenProblem(status: number, body: unknown): Problem {
  const parsed = TokenErrorBody.safeParse(body)
  if (!parsed.success) {
    if (status >= 500) return problem('server-error', { detail: `HTTP ${status}` })
    return typeof body === 'string' ? unreadableText(status, body) : badResponse(status)
  }
  const { error, status: zohoStatus } = parsed.data
  const kind = error !== undefined ? TOKEN_ERROR_KINDS[error] : undefined
  if (kind) return problem(kind, { detail: error })
  if (status >= 500 && zohoStatus !== 'failure') return problem('server-error', { detail: `HTTP ${status}` })
  const detail = zohoStatus === 'failure' ? 'status: failure' : `no access token (HTTP ${status})`
  return problem('token-throttled', { detail, retryAfterMs: TOKEN_THROTTLE_MS })
}

/**
 * A body that is text, not JSON: a page (it starts with markup) came from something other than Zoho's API, a
 * proxy's or a Wi-Fi sign-in page; anything else is JSON that is broken or cut off, and is called that.
 */
function unreadableText(status: number, text: string): Problem {
  if (text.trimStart().startsWith('<')) return problem('not-zoho', { detail: `HTTP ${status}, a web page` })
  return problem('bad-response', { detail: `HTTP ${status}, not valid JSON` })
}

function badResponse(status: number): Problem {
  return problem('bad-response', { detail: `HTTP ${status}, unreadable body` })
}

// --- CRM ----------------------------------------------------------------------------------------------------------

const CrmErrorBody = z.object({ code: z.string(), status: z.literal('error') })

const TOKEN_REJECTED_CODES = new Set(['INVALID_TOKEN', 'AUTHENTICATION_FAILURE', 'INVALID_OAUTHTOKEN'])

const CRM_CODE_KINDS: Record<string, ProblemKind> = {
  OAUTH_SCOPE_MISMATCH: 'scope-missing',
  INVALID_URL_PATTERN: 'not-found',
  NO_PERMISSION: 'no-permission',
  TOO_MANY_REQUESTS: 'rate-limited',
  LIMIT_REACHED: 'rate-limited',
  INTERNAL_ERROR: 'server-error',
}

function crmStatusKind(status: number): ProblemKind {
  if (status === 429) return 'rate-limited'
  if (status >= 500) return 'server-error'
  if (status === 403) return 'no-permission'
  if (status === 404) return 'not-found'
  return 'bad-response'
}

/** A count as Zoho writes it: `{ total, edition_limit }`; edition_limit is optional in practice. */
const Count = z.object({ total: z.number().int() })

const UserLicensesFeature = z.object({
  details: z.object({
    limits: Count.nullish(),
    limit: Count.nullish(),
    used_count: Count,
    available_count: Count.nullish(),
  }),
})

const NamedFeature = z.object({ api_name: z.string() })
const FeaturesBody = z.object({ __features: z.array(z.unknown()) })

function toSnapshot(details: z.infer<typeof UserLicensesFeature>['details'], now: number): Snapshot {
  const purchased = (details.limits ?? details.limit)?.total
  const active = details.used_count.total
  if (purchased === undefined) throw fail('bad-response', 'no purchased count')
  if (purchased < 0 || active < 0) throw fail('bad-response', 'negative seat count')
  const expected = purchased - active
  // Zoho's own number wins (it knows about seats we cannot see); a disagreement is flagged, not corrected.
  const available = details.available_count?.total ?? expected
  return { purchased, active, available, at: now, mismatch: available !== expected }
}

// --- org ----------------------------------------------------------------------------------------------------------

/** One odd field should not hide the org's name, so optional fields fall back to null instead of failing. */
const LicenseDetails = z.object({
  paid: z.boolean().nullish().catch(null),
  paid_expiry: z.string().nullish().catch(null),
  trial_expiry: z.string().nullish().catch(null),
  users_license_purchased: z.number().int().nonnegative().nullish().catch(null),
})

const OrgBody = z.object({
  org: z
    .array(
      z.object({
        id: z.union([z.string().min(1), z.number().int()]),
        company_name: z.string().nullish().catch(null),
        domain_name: z.string().nullish().catch(null),
        license_details: LicenseDetails.nullish().catch(null),
      }),
    )
    .min(1),
})

/** Zoho writes dates as `2025-03-31` or date-times with the org's offset; the calendar date is what people mean. */
function isoDate(value: string | null | undefined): string | null {
  if (!value) return null
  const literal = /^(\d{4}-\d{2}-\d{2})/.exec(value)?.[1]
  const date = literal ?? formatUtcDate(Date.parse(value))
  return date !== null && isRealDate(date) ? date : null
}

function formatUtcDate(ms: number): string | null {
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10)
}

/** A yyyy-mm-dd that names a day that exists (so not 2025-02-30, and no six-digit years). */
function isRealDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && formatUtcDate(Date.parse(`${date}T00:00:00Z`)) === date
}

function fail(kind: ProblemKind, detail: string): SeatTrayError {
  return new SeatTrayError(problem(kind, { detail }))
}
