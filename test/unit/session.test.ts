import { describe, expect, it } from 'vitest'
import { SeatTrayError } from '../../main/core/errors'
import { MemoryVault } from '../../main/core/memory-vault'
import { REFRESH_MARGIN_MS, Session } from '../../main/core/session'
import { fetchUserLicenses } from '../../main/core/zoho/crm'
import { TOKEN_THROTTLE_MS } from '../../main/core/zoho/parse'
import { VirtualClock } from '../helpers/virtual-clock'

// A scripted stand-in for Zoho, enough to pin the session's decisions; the wire itself is tested against the
// simulator in test/integration/zoho-client.test.ts.
const ACCOUNTS = 'https://accounts.zoho.com'
const API = 'https://www.zohoapis.com'
const CLIENT = { clientId: '1000.CLIENT', clientSecret: 'client-secret-value' }
const REFRESH_TOKEN = '1000.refresh-token-value'
const hostPolicy = { allowLoopback: false }

type Answer = { status?: number; body?: unknown }

class FakeZoho {
  readonly requests: { path: string; form: URLSearchParams; auth: string | null }[] = []
  /** Answers for the token endpoint, used in order; the last one repeats. */
  tokenAnswers: Answer[] = [{ body: grant('token-1') }]
  /** Answers for the CRM, used in order; the last one repeats. */
  crmAnswers: Answer[] = [{ body: licenses(25, 20) }]
  revokeAnswer: Answer = { body: { status: 'success' } }
  /** When set, token requests wait for this before answering. */
  gate: Promise<void> | null = null
  private minted = 0

  readonly fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const u = new URL(url)
    const headers = new Headers(init?.headers)
    const form = new URLSearchParams(typeof init?.body === 'string' ? init.body : '')
    this.requests.push({ path: u.pathname, form, auth: headers.get('Authorization') })
    if (u.pathname === '/oauth/v2/token') {
      if (this.gate) await this.gate
      return respond(this.next(this.tokenAnswers, this.minted++))
    }
    if (u.pathname === '/oauth/v2/token/revoke') return respond(this.revokeAnswer)
    return respond(this.next(this.crmAnswers, this.calls('/crm/v7/__features/user_licenses') - 1))
  }

  calls(path: string): number {
    return this.requests.filter((r) => r.path === path).length
  }

  get tokenCalls(): number {
    return this.calls('/oauth/v2/token')
  }

  private next(answers: Answer[], i: number): Answer {
    return answers[Math.min(i, answers.length - 1)]!
  }
}

function grant(token: string, extra: Record<string, unknown> = {}) {
  return { access_token: token, api_domain: API, token_type: 'Bearer', expires_in: 3600, ...extra }
}

function licenses(purchased: number, active: number) {
  const details = {
    limits: { total: purchased },
    used_count: { total: active },
    available_count: { total: purchased - active },
  }
  return { __features: [{ api_name: 'user_licenses', details }] }
}

const INVALID_TOKEN = {
  status: 401,
  body: { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' },
}

function respond(a: Answer): Response {
  return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status ?? 200 })
}

async function setup(o: { stored?: boolean } = {}) {
  const zoho = new FakeZoho()
  const clock = new VirtualClock()
  const vault = new MemoryVault()
  if (o.stored ?? true) await Session.store(vault, 'acct-1', REFRESH_TOKEN)
  const deps = { fetch: zoho.fetch, clock, vault, hostPolicy }
  const session = new Session(deps, { id: 'acct-1', accountsServer: ACCOUNTS, apiDomain: API }, CLIENT)
  const check = () =>
    session.withToken((accessToken, apiDomain) =>
      fetchUserLicenses(deps, { apiDomain, accessToken, hostPolicy }),
    )
  return { zoho, clock, vault, session, check }
}

async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SeatTrayError)
  const e = error as SeatTrayError
  // Whatever went wrong, no token or secret may reach a message a person or a log sees.
  for (const secret of [REFRESH_TOKEN, CLIENT.clientSecret, 'token-1', 'token-2']) {
    expect(e.message).not.toContain(secret)
    expect(JSON.stringify(e.problem)).not.toContain(secret)
  }
  return e.problem
}

describe('a signed-in account’s session', () => {
  it('asks Zoho for one access token and reuses it for every check within the hour', async () => {
    const { zoho, clock, check } = await setup()
    expect(await check()).toMatchObject({ purchased: 25, active: 20, available: 5 })
    await clock.advance(50 * 60_000)
    await check()
    await check()
    expect(zoho.tokenCalls).toBe(1)
    expect(zoho.requests.filter((r) => r.auth !== null).map((r) => r.auth)).toEqual(
      Array(3).fill('Zoho-oauthtoken token-1'),
    )
  })

  it('sends the refresh token with the client to the stored accounts server', async () => {
    const { zoho, check } = await setup()
    await check()
    const form = zoho.requests[0]!.form
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'refresh_token',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      refresh_token: REFRESH_TOKEN,
    })
  })

  it('refreshes when less than five minutes are left, not later', async () => {
    const { zoho, clock, check } = await setup()
    zoho.tokenAnswers = [{ body: grant('token-1') }, { body: grant('token-2') }]
    await check()
    await clock.advance(60 * 60_000 - REFRESH_MARGIN_MS - 1)
    await check()
    expect(zoho.tokenCalls).toBe(1)
    await clock.advance(2)
    await check()
    expect(zoho.tokenCalls).toBe(2)
    expect(zoho.requests.at(-1)!.auth).toBe('Zoho-oauthtoken token-2')
  })

  it('makes one refresh however many checks ask at once', async () => {
    const { zoho, session } = await setup()
    let open!: () => void
    zoho.gate = new Promise((resolve) => {
      open = resolve
    })
    const asks = [session.accessToken(), session.accessToken(), session.accessToken()]
    open()
    expect(await Promise.all(asks)).toEqual(['token-1', 'token-1', 'token-1'])
    expect(zoho.tokenCalls).toBe(1)
  })

  it('refreshes once and retries once when Zoho rejects the access token', async () => {
    const { zoho, check } = await setup()
    zoho.tokenAnswers = [{ body: grant('token-1') }, { body: grant('token-2') }]
    zoho.crmAnswers = [INVALID_TOKEN, { body: licenses(25, 24) }]
    expect((await check()).available).toBe(1)
    expect(zoho.tokenCalls).toBe(2)
    expect(zoho.requests.filter((r) => r.auth).map((r) => r.auth)).toEqual([
      'Zoho-oauthtoken token-1',
      'Zoho-oauthtoken token-2',
    ])
  })

  it('gives up after one retry when the fresh token is rejected too, and says to sign in again', async () => {
    const { zoho, check } = await setup()
    zoho.tokenAnswers = [{ body: grant('token-1') }, { body: grant('token-2') }]
    zoho.crmAnswers = [INVALID_TOKEN]
    expect((await problemOf(check())).kind).toBe('reauth-needed')
    expect(zoho.tokenCalls).toBe(2)
    expect(zoho.calls('/crm/v7/__features/user_licenses')).toBe(2)
  })

  it('stays signed-out-of-Zoho once the refresh token is rejected, without asking Zoho again', async () => {
    const { zoho, clock, check, session } = await setup()
    zoho.tokenAnswers = [{ body: { error: 'invalid_code' } }]
    expect((await problemOf(check())).kind).toBe('reauth-needed')
    await clock.advance(24 * 3_600_000)
    expect((await problemOf(check())).kind).toBe('reauth-needed')
    expect((await problemOf(session.accessToken())).kind).toBe('reauth-needed')
    expect(zoho.requests).toHaveLength(1)
    expect(session.blockedBy?.kind).toBe('reauth-needed')
  })

  it('stops asking when Zoho rejects the client, since this session cannot change it', async () => {
    const { zoho, check } = await setup()
    zoho.tokenAnswers = [{ body: { error: 'invalid_client' } }]
    expect((await problemOf(check())).kind).toBe('invalid-client')
    expect((await problemOf(check())).kind).toBe('invalid-client')
    expect(zoho.tokenCalls).toBe(1)
  })

  it('leaves the token endpoint alone while Zoho throttles it, then tries again', async () => {
    const { zoho, clock, check } = await setup()
    const throttled = { error: 'Access Denied', status: 'failure', error_description: 'too many requests' }
    zoho.tokenAnswers = [{ body: throttled }, { body: grant('token-2') }]
    const first = await problemOf(check())
    expect(first).toMatchObject({ kind: 'token-throttled', retryAfterMs: TOKEN_THROTTLE_MS })
    expect(first.retryAfterMs).toBeGreaterThanOrEqual(10 * 60_000)

    await clock.advance(TOKEN_THROTTLE_MS - 60_000)
    const later = await problemOf(check())
    expect(later).toMatchObject({ kind: 'token-throttled', retryAfterMs: 60_000 })
    expect(zoho.tokenCalls).toBe(1)

    await clock.advance(60_000)
    expect((await check()).available).toBe(5)
    expect(zoho.tokenCalls).toBe(2)
  })

  it('measures a token throttle on the monotonic clock, whichever way the wall clock is set', async () => {
    const { zoho, clock, check } = await setup()
    const throttled = { error: 'Access Denied', status: 'failure', error_description: 'too many requests' }
    zoho.tokenAnswers = [{ body: throttled }, { body: grant('token-2') }]
    await problemOf(check())
    clock.jumpWallClock(24 * 60 * 60_000)
    await clock.advance(60_000)
    expect(await problemOf(check())).toMatchObject({ retryAfterMs: TOKEN_THROTTLE_MS - 60_000 })
    clock.jumpWallClock(-2 * 24 * 60 * 60_000)
    expect(await problemOf(check())).toMatchObject({ retryAfterMs: TOKEN_THROTTLE_MS - 60_000 })
    expect(zoho.tokenCalls).toBe(1)
    await clock.advance(TOKEN_THROTTLE_MS - 60_000)
    expect((await check()).available).toBe(5)
    expect(zoho.tokenCalls).toBe(2)
  })

  it('keeps using an access token for its hour when the wall clock is set forward a day', async () => {
    const { zoho, clock, check } = await setup()
    await check()
    clock.jumpWallClock(24 * 60 * 60_000)
    await check()
    expect(zoho.tokenCalls).toBe(1)
    await clock.advance(60 * 60_000 - REFRESH_MARGIN_MS)
    await check()
    expect(zoho.tokenCalls).toBe(2)
  })

  it('follows the API domain a refresh names', async () => {
    const { zoho, session, check } = await setup()
    zoho.tokenAnswers = [{ body: grant('token-1', { api_domain: 'https://www.zohoapis.eu' }) }]
    await check()
    expect(session.apiDomain).toBe('https://www.zohoapis.eu')
    expect(zoho.requests.length).toBe(2)
  })

  it('keeps its API domain when a refresh names none', async () => {
    const { zoho, session, check } = await setup()
    zoho.tokenAnswers = [{ body: { access_token: 'token-1', expires_in: 3600 } }]
    await check()
    expect(session.apiDomain).toBe(API)
  })

  it('refuses an API domain that is not Zoho’s and sends it nothing', async () => {
    const { zoho, session, check } = await setup()
    zoho.tokenAnswers = [{ body: grant('token-1', { api_domain: 'https://www.zohoapis.com.evil.example' }) }]
    expect((await problemOf(check())).kind).toBe('untrusted-host')
    expect(session.apiDomain).toBe(API)
    expect(zoho.calls('/crm/v7/__features/user_licenses')).toBe(0)
  })

  it('says to sign in again, without a network call, when no refresh token is stored', async () => {
    const { zoho, check } = await setup({ stored: false })
    expect((await problemOf(check())).kind).toBe('reauth-needed')
    expect(zoho.requests).toHaveLength(0)
  })

  it('uses the token a sign-in just produced instead of refreshing', async () => {
    const { zoho, clock, session, check } = await setup()
    session.adopt({
      accessToken: 'fresh',
      refreshToken: null,
      apiDomain: API,
      expiresAt: clock.now() + 3_600_000,
    })
    await check()
    expect(zoho.tokenCalls).toBe(0)
    expect(zoho.requests[0]!.auth).toBe('Zoho-oauthtoken fresh')
  })

  it('signs out: revokes the refresh token at Zoho, deletes it here, and stops', async () => {
    const { zoho, vault, session, check } = await setup()
    await check()
    await session.signOut()
    const revoke = zoho.requests.find((r) => r.path === '/oauth/v2/token/revoke')
    expect(revoke).toBeDefined()
    expect(vault.keys().includes(Session.vaultKey('acct-1'))).toBe(false)
    const before = zoho.requests.length
    expect((await problemOf(check())).kind).toBe('signed-out')
    expect(zoho.requests).toHaveLength(before)
  })

  it('signs out even when Zoho cannot be told', async () => {
    const { zoho, vault, session } = await setup()
    zoho.revokeAnswer = { status: 500, body: '<html>down</html>' }
    await session.signOut()
    expect(vault.keys().length).toBe(0)
  })

  it('keeps refresh tokens under refresh:<account id>', () => {
    expect(Session.vaultKey('abc')).toBe('refresh:abc')
  })
})
