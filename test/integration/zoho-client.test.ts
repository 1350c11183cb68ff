import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryVault } from '../../main/core/memory-vault'
import { Session } from '../../main/core/session'
import { fetchOrg, fetchUserLicenses } from '../../main/core/zoho/crm'
import { USER_AGENT } from '../../main/core/zoho/http'
import {
  beginSignIn,
  exchangeCode,
  parseRedirect,
  refreshAccessToken,
  revokeToken,
  type SignInAttempt,
} from '../../main/core/zoho/oauth'
import { REDIRECT_URI } from '../../main/core/zoho/redirect'
import { type ScenarioName, type Simulator, startSimulator } from '../../main/demo/simulator'
import { problemOfRejection as problemOf } from '../helpers/problems'
import { VirtualClock } from '../helpers/virtual-clock'

// Everything here crosses real loopback HTTP to the Zoho simulator, which checks PKCE, codes, DCs and tokens
// the way Zoho does. Only loopback hosts are allowed, and only because these are tests.
const hostPolicy = { allowLoopback: true }

let sim: Simulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function start(scenario: ScenarioName = 'steady') {
  const clock = new VirtualClock()
  sim = await startSimulator({ scenario, clock })
  const http = { fetch: globalThis.fetch, clock }
  return { sim, clock, http }
}

/** What a person does in the sign-in window: open Zoho's page, press Accept (or Reject), land on the redirect. */
async function consent(attempt: SignInAttempt, decision: 'accept' | 'reject' = 'accept'): Promise<string> {
  const page = await fetch(attempt.url)
  expect(page.status).toBe(200)
  const consentId = /name="consent" value="([^"]+)"/.exec(await page.text())?.[1]
  expect(consentId).toBeDefined()
  const answer = await fetch(new URL('/oauth/v2/auth/consent', attempt.url), {
    method: 'POST',
    body: new URLSearchParams({ consent: consentId!, decision }),
    redirect: 'manual',
  })
  expect(answer.status).toBe(302)
  return answer.headers.get('location')!
}

function attemptAt(s: Simulator, accountsServer = s.accountsServer) {
  return beginSignIn({ client: s.client, accountsServer, redirectUri: REDIRECT_URI, hostPolicy })
}

async function sessionFor(
  s: Simulator,
  clock: VirtualClock,
  o: { timeoutMs?: number; refreshToken?: string; fetch?: typeof fetch } = {},
) {
  const vault = new MemoryVault()
  await Session.store(vault, 'acct', o.refreshToken ?? s.refreshToken)
  const deps = { fetch: o.fetch ?? globalThis.fetch, clock, vault, hostPolicy, timeoutMs: o.timeoutMs }
  const session = new Session(
    deps,
    { id: 'acct', accountsServer: s.accountsServer, apiDomain: s.apiDomain },
    s.client,
  )
  const check = () =>
    session.withToken((accessToken, apiDomain) =>
      fetchUserLicenses(deps, { apiDomain, accessToken, hostPolicy }),
    )
  const tokenRequests = () => s.control.requests().filter((r) => r.path === '/oauth/v2/token').length
  return { session, vault, check, tokenRequests }
}

describe('signing in to Zoho', () => {
  it('signs in with PKCE and reads the org’s seats and name with the tokens it gets', async () => {
    const { sim, http } = await start()
    const attempt = attemptAt(sim)
    const redirect = parseRedirect(await consent(attempt), attempt, hostPolicy)
    expect(redirect.accountsServer).toBe(sim.accountsServer)

    const grant = await exchangeCode(http, { client: sim.client, attempt, redirect, hostPolicy })
    expect(grant.refreshToken).toMatch(/\S/)
    expect(grant.apiDomain).toBe(sim.apiDomain)
    expect(grant.expiresAt).toBe(http.clock.now() + 3_600_000)

    const call = { apiDomain: grant.apiDomain, accessToken: grant.accessToken, hostPolicy }
    expect(await fetchUserLicenses(http, call)).toMatchObject({
      purchased: 25,
      active: 20,
      available: 5,
      mismatch: false,
    })
    const org = await fetchOrg(http, call)
    expect(org.name).not.toBe('')
    expect(org.licensesPurchased).toBe(25)

    // The refresh token works on its own afterwards, as it will after a restart.
    const refreshed = await refreshAccessToken(http, {
      client: sim.client,
      accountsServer: redirect.accountsServer,
      refreshToken: grant.refreshToken,
      hostPolicy,
    })
    expect(refreshed.accessToken).not.toBe(grant.accessToken)
  })

  it('is refused by Zoho when the PKCE verifier does not match the challenge', async () => {
    const { sim, http } = await start()
    const attempt = attemptAt(sim)
    const redirect = parseRedirect(await consent(attempt), attempt, hostPolicy)
    const forged = { ...attempt, codeVerifier: attemptAt(sim).codeVerifier }
    const p = await problemOf(
      exchangeCode(http, { client: sim.client, attempt: forged, redirect, hostPolicy }),
    )
    expect(p.kind).toBe('reauth-needed')
  })

  it('cannot use a code twice', async () => {
    const { sim, http } = await start()
    const attempt = attemptAt(sim)
    const redirect = parseRedirect(await consent(attempt), attempt, hostPolicy)
    await exchangeCode(http, { client: sim.client, attempt, redirect, hostPolicy })
    const again = await problemOf(exchangeCode(http, { client: sim.client, attempt, redirect, hostPolicy }))
    expect(again).toMatchObject({ kind: 'reauth-needed', detail: 'invalid_code' })
  })

  it('reports a wrong client secret as a client problem', async () => {
    const { sim, http } = await start()
    const attempt = attemptAt(sim)
    const redirect = parseRedirect(await consent(attempt), attempt, hostPolicy)
    const client = { ...sim.client, clientSecret: 'not-the-secret' }
    const p = await problemOf(exchangeCode(http, { client, attempt, redirect, hostPolicy }))
    expect(p).toMatchObject({ kind: 'invalid-client', detail: 'invalid_client_secret' })
    expect(JSON.stringify(p)).not.toContain('not-the-secret')
  })

  it('reports Reject on Zoho’s page as a cancelled sign-in', async () => {
    const { sim } = await start()
    const attempt = attemptAt(sim)
    const location = await consent(attempt, 'reject')
    expect(() => parseRedirect(location, attempt, hostPolicy)).toThrow(
      expect.objectContaining({ problem: expect.objectContaining({ kind: 'sign-in-cancelled' }) }),
    )
  })

  it('follows a user to their own data center: tokens from there, CRM calls there', async () => {
    const { sim, http } = await start('second-dc')
    const eu = sim.secondDc!
    const attempt = attemptAt(sim)
    const redirect = parseRedirect(await consent(attempt), attempt, hostPolicy)
    expect(redirect).toMatchObject({ accountsServer: eu.accountsServer, location: 'eu' })

    const grant = await exchangeCode(http, { client: sim.client, attempt, redirect, hostPolicy })
    expect(grant.apiDomain).toBe(eu.apiDomain)
    const call = { apiDomain: grant.apiDomain, accessToken: grant.accessToken, hostPolicy }
    expect((await fetchUserLicenses(http, call)).purchased).toBe(25)
    const wrongDc = await problemOf(fetchUserLicenses(http, { ...call, apiDomain: sim.apiDomain }))
    expect(wrongDc.kind).toBe('reauth-needed')

    // Refreshing at the US server, where the token does not live, is what Zoho calls an unknown client.
    const vault = new MemoryVault()
    await Session.store(vault, 'eu', grant.refreshToken)
    const deps = { ...http, vault, hostPolicy }
    const atUs = new Session(
      deps,
      { id: 'eu', accountsServer: sim.accountsServer, apiDomain: eu.apiDomain },
      sim.client,
    )
    expect((await problemOf(atUs.accessToken())).kind).toBe('invalid-client')
    const atEu = new Session(
      deps,
      { id: 'eu', accountsServer: eu.accountsServer, apiDomain: eu.apiDomain },
      sim.client,
    )
    expect(await atEu.accessToken()).toMatch(/\S/)
  })
})

describe('checking seats through a session', () => {
  it('reuses one access token for an hour of checks, then refreshes', async () => {
    const { sim, clock } = await start()
    const { check, tokenRequests } = await sessionFor(sim, clock)
    for (let minute = 0; minute < 55; minute += 5) {
      await check()
      await clock.advance(5 * 60_000)
    }
    expect(tokenRequests()).toBe(1)
    await check()
    expect(tokenRequests()).toBe(2)
  })

  it('says who is asking in a User-Agent, to the accounts server and the CRM alike', async () => {
    const { sim, clock } = await start()
    const seen: string[] = []
    const spy: typeof fetch = (url, init) => {
      seen.push(new Headers(init?.headers).get('User-Agent') ?? '')
      return fetch(url, init)
    }
    const { check } = await sessionFor(sim, clock, { fetch: spy })
    await check()
    expect(seen).toEqual([USER_AGENT, USER_AGENT])
    expect(USER_AGENT).toMatch(/^SeatTray\/\d+\.\d+\.\d+/)
  })

  it('gets a new token and carries on when Zoho evicts the current one', async () => {
    const { sim, clock } = await start()
    const { check, tokenRequests } = await sessionFor(sim, clock)
    await check()
    sim.control.failNext(1, 'invalid-token')
    expect((await check()).available).toBe(5)
    expect(tokenRequests()).toBe(2)
  })

  it('stops, and stays stopped without calling Zoho, once the sign-in is revoked', async () => {
    const { sim, clock } = await start()
    const { check, tokenRequests } = await sessionFor(sim, clock)
    await check()
    sim.control.revokeAll()
    expect((await problemOf(check())).kind).toBe('reauth-needed')
    const calls = sim.control.requests().length
    await clock.advance(3 * 3_600_000)
    expect((await problemOf(check())).kind).toBe('reauth-needed')
    expect(sim.control.requests()).toHaveLength(calls)
    expect(tokenRequests()).toBe(2)
  })

  it('waits out Zoho’s token throttle instead of asking again', async () => {
    const { sim, clock } = await start('throttled')
    const { check, tokenRequests } = await sessionFor(sim, clock)
    const p = await problemOf(check())
    expect(p.kind).toBe('token-throttled')
    expect(p.retryAfterMs).toBeGreaterThanOrEqual(10 * 60_000)
    for (let i = 0; i < 5; i++) {
      await clock.advance(60_000)
      expect((await problemOf(check())).kind).toBe('token-throttled')
    }
    expect(tokenRequests()).toBe(1)
    sim.control.setScenario('steady')
    await clock.advance(p.retryAfterMs!)
    expect((await check()).available).toBe(5)
  })

  it('never mints more than Zoho allows in ten minutes, however often it is asked to check', async () => {
    const { sim, clock } = await start()
    const { check, tokenRequests } = await sessionFor(sim, clock)
    await Promise.all(Array.from({ length: 30 }, () => check()))
    expect(tokenRequests()).toBe(1)
  })

  it('honours Retry-After when Zoho rate-limits the CRM', async () => {
    const { sim, clock } = await start('rate-limited')
    const { check } = await sessionFor(sim, clock)
    expect(await problemOf(check())).toMatchObject({ kind: 'rate-limited', retryAfterMs: 30_000 })
  })

  it('names each CRM failure so a person knows what to do', async () => {
    const { sim, clock } = await start()
    const { check } = await sessionFor(sim, clock)
    await check()
    const cases: [Parameters<Simulator['control']['failNext']>[1], string][] = [
      ['server-error', 'server-error'],
      ['unavailable', 'server-error'],
      ['drop', 'unreachable'],
      ['bad-json', 'bad-response'],
      ['rate-limited', 'rate-limited'],
    ]
    for (const [failure, kind] of cases) {
      sim.control.failNext(1, failure)
      expect((await problemOf(check())).kind, failure).toBe(kind)
    }
    expect((await check()).available).toBe(5)
  })

  it('says cut-off JSON from Zoho is not valid JSON, rather than blaming the network or a missing field', async () => {
    const { sim, clock } = await start()
    const { check } = await sessionFor(sim, clock)
    await check()
    sim.control.failNext(1, 'bad-json')
    const p = await problemOf(check())
    expect(p).toMatchObject({ kind: 'bad-response', detail: 'HTTP 200, not valid JSON', action: 'retry' })
    expect(p.message).not.toMatch(/internet connection/)
  })

  it('says the sign-in lacks the license scope, and when there is no license data', async () => {
    const { sim, clock } = await start('scope-mismatch')
    const { check } = await sessionFor(sim, clock)
    expect((await problemOf(check())).kind).toBe('scope-missing')
    sim.control.setScenario('no-content')
    expect((await problemOf(check())).kind).toBe('no-license-data')
  })

  it('keeps Zoho’s available count and flags it when Zoho disagrees with itself', async () => {
    const { sim, clock } = await start()
    sim.control.setSeats({ purchased: 10, active: 7, available: 2 })
    const { check } = await sessionFor(sim, clock)
    expect(await check()).toMatchObject({ purchased: 10, active: 7, available: 2, mismatch: true })
  })

  it('gives up on a silent Zoho after its timeout', async () => {
    const { sim, clock } = await start()
    const { check } = await sessionFor(sim, clock, { timeoutMs: 300 })
    await check()
    sim.control.failNext(1, 'hang')
    const started = Date.now()
    expect((await problemOf(check())).kind).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('reports Zoho as unreachable when nothing listens', async () => {
    const clock = new VirtualClock()
    const port = await freePort()
    const http = { fetch: globalThis.fetch, clock }
    const p = await problemOf(
      fetchUserLicenses(http, { apiDomain: `http://127.0.0.1:${port}`, accessToken: 'x', hostPolicy }),
    )
    expect(p).toMatchObject({ kind: 'unreachable', detail: 'ECONNREFUSED' })
  })

  it('signs out by revoking the refresh token at Zoho, so it cannot be used again', async () => {
    const { sim, clock } = await start()
    const minted = sim.control.mintRefreshToken()
    const { session, vault, check } = await sessionFor(sim, clock, { refreshToken: minted })
    await check()
    await session.signOut()
    expect(vault.keys()).toEqual([])
    expect(sim.control.requests().some((r) => r.path === '/oauth/v2/token/revoke' && r.status === 200)).toBe(
      true,
    )
    const again = await sessionFor(sim, clock, { refreshToken: minted })
    expect((await problemOf(again.check())).kind).toBe('reauth-needed')
  })

  it('reports a failed revoke to callers that ask directly', async () => {
    const { sim, clock } = await start()
    const http = { fetch: globalThis.fetch, clock }
    const p = await problemOf(
      revokeToken(http, { accountsServer: sim.accountsServer, token: 'never-issued', hostPolicy }),
    )
    expect(p.kind).toBe('bad-response')
    expect(JSON.stringify(p)).not.toContain('never-issued')
  })
})

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}
