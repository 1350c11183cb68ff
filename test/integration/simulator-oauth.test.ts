import { createHash, randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { REDIRECT_URI, SCOPES } from '../../main/core/zoho/redirect'
import { type ScenarioName, type Simulator, startSimulator } from '../../main/demo/simulator'
import { consentBot } from '../doubles/consent-bot'
import { VirtualClock } from '../helpers/virtual-clock'

// Zoho Accounts as the simulator plays it, over real loopback HTTP: what the OAuth client will meet at Zoho.

let sim: Simulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function start(o: { scenario?: ScenarioName; clock?: VirtualClock } = {}): Promise<Simulator> {
  sim = await startSimulator(o)
  return sim
}

describe('signing in with PKCE', () => {
  it('walks consent → code → tokens, and the access token reads the seats', async () => {
    const s = await start()
    const { code, redirect } = await consent(s, { state: 'st-1' })
    expect(redirect.searchParams.get('state')).toBe('st-1')
    expect(redirect.searchParams.get('location')).toBe('us')
    expect(redirect.searchParams.get('accounts-server')).toBe(s.accountsServer)

    const tokens = await exchange(s, { code, verifier: VERIFIER })
    expect(tokens).toMatchObject({ api_domain: s.apiDomain, token_type: 'Bearer', expires_in: 3600 })
    expect(tokens.access_token).toMatch(/^1000\.[0-9a-f]+\.[0-9a-f]+$/)
    expect(typeof tokens.refresh_token).toBe('string')

    const seats = await crmGet(s.apiDomain, '/crm/v7/__features/user_licenses', String(tokens.access_token))
    expect(seats.status).toBe(200)
  })

  it('serves a consent page naming the org and the scopes, with Accept and Reject', async () => {
    const s = await start()
    const page = await fetch(authorizeUrl(s))
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('Zylker Traders')
    expect(html).toContain('ZohoCRM.features.READ')
    expect(html).toMatch(/<button id="accept"/)
    expect(html).toMatch(/<button id="reject"/)
    expect(html).toContain('action="/oauth/v2/auth/consent"')
  })

  it('sends the person back with access_denied and the state when they reject', async () => {
    const s = await start()
    const location = await consentBot({ decision: 'reject' }).authorize({
      url: authorizeUrl(s, { state: 'st-2' }),
      redirectUri: REDIRECT_URI,
      signal: new AbortController().signal,
      hostPolicy: { allowLoopback: true },
    })
    const back = new URL(location)
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.get('state')).toBe('st-2')
    expect(back.searchParams.has('code')).toBe(false)
  })

  it('never redirects to a redirect URI that is not registered exactly', async () => {
    const s = await start()
    const other = 'http://127.0.0.1:47814/oauth/callback'
    const page = await fetch(authorizeUrl(s, { redirectUri: other }), { redirect: 'manual' })
    expect(page.status).toBe(400)
    expect(page.headers.get('location')).toBeNull()
  })

  it('refuses an unknown client on its own page', async () => {
    const s = await start()
    const page = await fetch(authorizeUrl(s, { clientId: '1000.NOBODY' }), { redirect: 'manual' })
    expect(page.status).toBe(400)
    expect(await page.text()).toContain('Invalid client')
  })

  it('insists on an S256 code challenge', async () => {
    const s = await start()
    const url = new URL(authorizeUrl(s))
    url.searchParams.set('code_challenge_method', 'plain')
    const page = await fetch(url, { redirect: 'manual' })
    const back = new URL(page.headers.get('location')!)
    expect(back.searchParams.get('error')).toBe('invalid_request')
  })

  it('refuses space-separated scopes: Zoho wants commas', async () => {
    const s = await start()
    const url = new URL(authorizeUrl(s))
    url.searchParams.set('scope', SCOPES.join(' '))
    const page = await fetch(url, { redirect: 'manual' })
    expect(new URL(page.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope')
  })

  it('gives no refresh token unless access_type=offline was asked for', async () => {
    const s = await start()
    const { code } = await consent(s, { offline: false })
    const tokens = await exchange(s, { code, verifier: VERIFIER })
    expect(tokens.access_token).toBeTruthy()
    expect(tokens.refresh_token).toBeUndefined()
  })
})

describe('grant codes', () => {
  it('rejects a code whose PKCE verifier does not match the challenge', async () => {
    const s = await start()
    const { code } = await consent(s)
    const wrong = await exchange(s, { code, verifier: randomBytes(32).toString('base64url') })
    expect(wrong).toEqual({ error: 'invalid_code' })
  })

  it('refuses a code the second time, with HTTP 200 like Zoho', async () => {
    const s = await start()
    const { code } = await consent(s)
    expect((await exchange(s, { code, verifier: VERIFIER })).access_token).toBeTruthy()
    const again = await tokenRequest(s.accountsServer, {
      grant_type: 'authorization_code',
      client_id: s.client.clientId,
      client_secret: s.client.clientSecret,
      redirect_uri: REDIRECT_URI,
      code,
      code_verifier: VERIFIER,
    })
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ error: 'invalid_code' })
  })

  it('lets a code expire after two minutes of the clock', async () => {
    const clock = new VirtualClock()
    const s = await start({ clock })
    const { code } = await consent(s)
    await clock.advance(2 * 60_000)
    expect(await exchange(s, { code, verifier: VERIFIER })).toEqual({ error: 'invalid_code' })
  })

  it('checks the redirect URI, the client id and the secret', async () => {
    const s = await start()
    expect(await exchange(s, { code: (await consent(s)).code, verifier: VERIFIER, secret: 'nope' })).toEqual({
      error: 'invalid_client_secret',
    })
    expect(await exchange(s, { code: (await consent(s)).code, verifier: VERIFIER, clientId: 'x' })).toEqual({
      error: 'invalid_client',
    })
  })

  it('accepts the parameters in the query string too, as Zoho documents them', async () => {
    const s = await start()
    const { code } = await consent(s)
    const q = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: s.client.clientId,
      client_secret: s.client.clientSecret,
      redirect_uri: REDIRECT_URI,
      code,
      code_verifier: VERIFIER,
    })
    const res = await fetch(`${s.accountsServer}/oauth/v2/token?${q}`, { method: 'POST' })
    expect(((await res.json()) as Record<string, unknown>).access_token).toBeTruthy()
  })
})

describe('refresh tokens', () => {
  it('mints access tokens from the pre-minted refresh token', async () => {
    const s = await start()
    const { status, body } = await refresh(s.accountsServer, s, s.refreshToken)
    expect(status).toBe(200)
    expect(body).toMatchObject({ api_domain: s.apiDomain, token_type: 'Bearer', expires_in: 3600 })
    expect(body.refresh_token).toBeUndefined()
  })

  it('throttles the 11th access token within 10 minutes, and issues again once the window has passed', async () => {
    const clock = new VirtualClock()
    const s = await start({ clock })
    for (let i = 0; i < 10; i++) {
      expect((await refresh(s.accountsServer, s, s.refreshToken)).body.access_token).toBeTruthy()
      await clock.advance(30_000)
    }
    const throttled = await refresh(s.accountsServer, s, s.refreshToken)
    expect(throttled.status).toBe(200)
    expect(throttled.body).toEqual({
      error_description: 'You have made too many requests continuously. Please try again after some time.',
      error: 'Access Denied',
      status: 'failure',
    })
    // The first token was minted at t=0; the window slides past it at t=10 min.
    await clock.advance(10 * 60_000 - 5 * 60_000)
    expect((await refresh(s.accountsServer, s, s.refreshToken)).body.access_token).toBeTruthy()
  })

  it('lets an access token expire after an hour of the clock', async () => {
    const clock = new VirtualClock()
    const s = await start({ clock })
    const token = String((await refresh(s.accountsServer, s, s.refreshToken)).body.access_token)
    await clock.advance(3599_000)
    expect((await crmGet(s.apiDomain, '/crm/v7/org', token)).status).toBe(200)
    await clock.advance(1000)
    const late = await crmGet(s.apiDomain, '/crm/v7/org', token)
    expect(late.status).toBe(401)
    expect(late.body).toMatchObject({ code: 'INVALID_TOKEN', status: 'error' })
  })

  it('revokes a refresh token once; after that it is invalid_code and revoking again is HTTP 400', async () => {
    const s = await start()
    const access = String((await refresh(s.accountsServer, s, s.refreshToken)).body.access_token)
    const revoke = () =>
      fetch(`${s.accountsServer}/oauth/v2/token/revoke?token=${encodeURIComponent(s.refreshToken)}`, {
        method: 'POST',
      })
    const first = await revoke()
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ status: 'success' })
    expect((await revoke()).status).toBe(400)
    expect((await refresh(s.accountsServer, s, s.refreshToken)).body).toEqual({ error: 'invalid_code' })
    // Revoking a refresh token takes its access tokens with it.
    expect((await crmGet(s.apiDomain, '/crm/v7/org', access)).status).toBe(401)
  })

  it("answers invalid_code in the 'revoked' scenario", async () => {
    const s = await start({ scenario: 'revoked' })
    expect((await refresh(s.accountsServer, s, s.refreshToken)).body).toEqual({ error: 'invalid_code' })
  })

  it("throttles every token request in the 'throttled' scenario, and on command", async () => {
    const s = await start({ scenario: 'throttled' })
    expect((await refresh(s.accountsServer, s, s.refreshToken)).body).toMatchObject({ status: 'failure' })
    s.control.setScenario('steady')
    expect((await refresh(s.accountsServer, s, s.refreshToken)).body.access_token).toBeTruthy()
    s.control.throttleTokens(true)
    expect((await refresh(s.accountsServer, s, s.refreshToken)).body).toMatchObject({
      error: 'Access Denied',
    })
  })
})

describe("the 'second-dc' scenario", () => {
  it('sends a sign-in that starts at the US server on to the EU one, and only the EU server takes the code', async () => {
    const s = await start({ scenario: 'second-dc' })
    const eu = s.secondDc!
    expect(eu.accountsServer).not.toBe(s.accountsServer)
    const { code, redirect } = await consent(s)
    expect(redirect.searchParams.get('location')).toBe('eu')
    expect(redirect.searchParams.get('accounts-server')).toBe(eu.accountsServer)

    expect(await exchange(s, { code, verifier: VERIFIER })).toEqual({ error: 'invalid_client' })
    const tokens = await exchange(s, { code, verifier: VERIFIER, at: eu.accountsServer })
    expect(tokens.api_domain).toBe(eu.apiDomain)

    const token = String(tokens.access_token)
    expect((await crmGet(eu.apiDomain, '/crm/v7/__features/user_licenses', token)).status).toBe(200)
    const wrongDc = await crmGet(s.apiDomain, '/crm/v7/__features/user_licenses', token)
    expect(wrongDc.status).toBe(401)
    expect(wrongDc.body).toMatchObject({ code: 'INVALID_TOKEN' })
  })

  it('refuses an EU refresh token at the US accounts server with invalid_client', async () => {
    const s = await start({ scenario: 'second-dc' })
    expect((await refresh(s.accountsServer, s, s.refreshToken)).body).toEqual({ error: 'invalid_client' })
    expect((await refresh(s.secondDc!.accountsServer, s, s.refreshToken)).body.access_token).toBeTruthy()
  })
})

describe('what the simulator keeps', () => {
  it('records method and path but never a token, code or secret', async () => {
    const s = await start()
    const { code } = await consent(s)
    const tokens = await exchange(s, { code, verifier: VERIFIER })
    await crmGet(s.apiDomain, '/crm/v7/__features/user_licenses', String(tokens.access_token))
    const recorded = JSON.stringify(s.control.requests())
    for (const secret of [
      code,
      s.client.clientSecret,
      String(tokens.access_token),
      String(tokens.refresh_token),
    ]) {
      expect(recorded).not.toContain(secret)
    }
    expect(s.control.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /oauth/v2/auth 200',
      'POST /oauth/v2/auth/consent 302',
      'POST /oauth/v2/token 200',
      'GET /crm/v7/__features/user_licenses 200',
    ])
    expect(s.control.requests()[2]!.grantType).toBe('authorization_code')
  })

  it('keeps at most 20 refresh tokens and 10 live access tokens each, and forgets expired codes', async () => {
    const clock = new VirtualClock()
    const s = await start({ clock })
    for (let i = 0; i < 25; i++) s.control.mintRefreshToken()
    // The pre-minted token was the oldest, so minting 25 more evicted it: refreshing with it fails and holds nothing.
    expect((await refresh(s.accountsServer, s, s.refreshToken)).body).toEqual({ error: 'invalid_code' })
    expect(s.control.sizes()).toMatchObject({ refreshTokens: 20, accessTokens: 0 })

    await consent(s)
    expect(s.control.sizes()).toMatchObject({ codes: 1, consents: 0 })
    await clock.advance(2 * 60_000)
    expect(s.control.sizes()).toMatchObject({ codes: 0 })

    const fresh = s.control.mintRefreshToken()
    for (let i = 0; i < 10; i++) await refresh(s.accountsServer, s, fresh)
    await clock.advance(10 * 60_000)
    await refresh(s.accountsServer, s, fresh)
    expect(s.control.sizes().accessTokens).toBe(10)
  })
})

const VERIFIER = randomBytes(32).toString('base64url')
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url')

function authorizeUrl(
  s: Simulator,
  o: { state?: string; redirectUri?: string; clientId?: string; offline?: boolean } = {},
): string {
  const url = new URL('/oauth/v2/auth', s.accountsServer)
  url.search = new URLSearchParams({
    client_id: o.clientId ?? s.client.clientId,
    response_type: 'code',
    redirect_uri: o.redirectUri ?? REDIRECT_URI,
    scope: SCOPES.join(','),
    access_type: o.offline === false ? 'online' : 'offline',
    prompt: 'consent',
    state: o.state ?? 'state',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
  }).toString()
  return url.toString()
}

async function consent(s: Simulator, o: { state?: string; offline?: boolean } = {}) {
  const location = await consentBot().authorize({
    url: authorizeUrl(s, o),
    redirectUri: REDIRECT_URI,
    signal: new AbortController().signal,
    hostPolicy: { allowLoopback: true },
  })
  const redirect = new URL(location)
  const code = redirect.searchParams.get('code')
  if (!code) throw new Error(`no code in ${redirect.search}`)
  return { code, redirect }
}

async function exchange(
  s: Simulator,
  o: { code: string; verifier: string; secret?: string; clientId?: string; at?: string },
): Promise<Record<string, unknown>> {
  const { body } = await tokenRequest(o.at ?? s.accountsServer, {
    grant_type: 'authorization_code',
    client_id: o.clientId ?? s.client.clientId,
    client_secret: o.secret ?? s.client.clientSecret,
    redirect_uri: REDIRECT_URI,
    code: o.code,
    code_verifier: o.verifier,
  })
  return body
}

function refresh(accountsServer: string, s: Simulator, refreshToken: string) {
  return tokenRequest(accountsServer, {
    grant_type: 'refresh_token',
    client_id: s.client.clientId,
    client_secret: s.client.clientSecret,
    refresh_token: refreshToken,
  })
}

async function tokenRequest(accountsServer: string, params: Record<string, string>) {
  const res = await fetch(`${accountsServer}/oauth/v2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function crmGet(apiDomain: string, path: string, token: string) {
  const res = await fetch(`${apiDomain}${path}`, { headers: { authorization: `Zoho-oauthtoken ${token}` } })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  }
}
