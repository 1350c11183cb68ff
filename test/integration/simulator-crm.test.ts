import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type ScenarioName, type Simulator, startSimulator } from '../../main/demo/simulator'
import { VirtualClock } from '../helpers/virtual-clock'

// The CRM side of the simulator, over real loopback HTTP. Shapes follow Zoho's OpenAPI files (crm-oas v8.0
// features.json and org.json); the schemas below restate what those files require.

const limit = z.object({ total: z.number().int(), edition_limit: z.number().int() })
const feature = z.object({
  api_name: z.string(),
  feature_label: z.string(),
  module_supported: z.boolean(),
  parent_feature: z.null(),
  components: z.array(z.unknown()),
  details: z.object({ available_count: limit, used_count: limit, limits: limit }),
})
const featuresResponse = z.object({ __features: z.array(feature).length(1) })
const listResponse = featuresResponse.extend({
  info: z.object({ per_page: z.number(), count: z.number(), page: z.number(), more_records: z.boolean() }),
})
const orgResponse = z.object({
  org: z
    .array(
      z.object({
        id: z.string(),
        company_name: z.string(),
        primary_email: z.string(),
        time_zone: z.string(),
        type: z.enum(['Bigin', 'Production', 'Developer', 'Sandbox']),
        license_details: z.object({
          paid: z.boolean(),
          paid_type: z.string(),
          paid_expiry: z.string().nullable(),
          trial_type: z.string().nullable(),
          trial_expiry: z.string().nullable(),
          trial_action: z.string().nullable(),
          users_license_purchased: z.number().int(),
        }),
      }),
    )
    .length(1),
})
const zohoError = z.object({
  code: z.string(),
  details: z.object({}),
  message: z.string(),
  status: z.literal('error'),
})

let sim: Simulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function start(o: { scenario?: ScenarioName; clock?: VirtualClock } = {}) {
  sim = await startSimulator(o)
  const token = await accessToken(sim)
  return { s: sim, token, get: (path: string, t: string | null = token) => crmGet(sim!.apiDomain, path, t) }
}

describe('GET /crm/v7/__features/user_licenses', () => {
  it('reports 25 purchased, 20 active, 5 available in the steady org, in the shape of Zoho’s spec', async () => {
    const { get } = await start()
    const res = await get('/crm/v7/__features/user_licenses')
    expect(res.status).toBe(200)
    const details = featuresResponse.parse(res.body).__features[0]!.details
    expect(details.limits.total).toBe(25)
    expect(details.used_count.total).toBe(20)
    expect(details.available_count.total).toBe(5)
  })

  it('answers the list route (?api_names=user_licenses) with the paging info the spec requires', async () => {
    const { get } = await start()
    const res = await get('/crm/v8/__features?api_names=user_licenses')
    expect(listResponse.parse(res.body).__features[0]!.api_name).toBe('user_licenses')
  })

  it('follows pinned seats, including a Zoho that disagrees with itself', async () => {
    const { s, get } = await start()
    s.control.setSeats({ purchased: 30, active: 30, available: 2 })
    const details = featuresResponse.parse((await get('/crm/v6/__features/user_licenses')).body)
      .__features[0]!.details
    expect([details.limits.total, details.used_count.total, details.available_count.total]).toEqual([
      30, 30, 2,
    ])
  })

  it("takes one more seat each minute in 'filling' until none are free", async () => {
    const clock = new VirtualClock()
    const { s, get } = await start({ scenario: 'filling', clock })
    const free = async () =>
      featuresResponse.parse((await get('/crm/v7/__features/user_licenses')).body).__features[0]!.details
        .available_count.total
    expect(await free()).toBe(5)
    await clock.advance(60_000)
    expect(await free()).toBe(4)
    await clock.advance(10 * 60_000)
    expect(await free()).toBe(0)
    expect(s.control.seats()).toEqual({ purchased: 25, active: 25, available: 0 })
  })
})

describe('GET /crm/v7/org', () => {
  it('names the org and carries license_details with the purchased count', async () => {
    const { get } = await start()
    const res = await get('/crm/v7/org')
    const org = orgResponse.parse(res.body).org[0]!
    expect(org.company_name).toBe('Zylker Traders')
    expect(org.license_details.users_license_purchased).toBe(25)
    expect(org.license_details.paid).toBe(true)
  })

  it('lets a test move the paid expiry', async () => {
    const { s, get } = await start()
    s.control.setOrg({ companyName: 'Acme', license: { paid_expiry: '2026-01-10T00:00:00+00:00' } })
    const org = orgResponse.parse((await get('/crm/v7/org')).body).org[0]!
    expect(org.company_name).toBe('Acme')
    expect(org.license_details.paid_expiry).toBe('2026-01-10T00:00:00+00:00')
  })
})

describe('CRM errors in Zoho’s shape', () => {
  it('says INVALID_URL_PATTERN (404) for paths and versions Zoho does not have', async () => {
    const { get } = await start()
    for (const path of [
      '/crm/v7/__features/user_license',
      '/crm/v5/__features/user_licenses',
      '/crm/v7/nope',
    ]) {
      const res = await get(path)
      expect(res.status, path).toBe(404)
      expect(zohoError.parse(res.body).code).toBe('INVALID_URL_PATTERN')
    }
  })

  it('says INVALID_TOKEN (401) for an unknown token and AUTHENTICATION_FAILURE without the Zoho-oauthtoken header', async () => {
    const { get } = await start()
    const unknown = await get('/crm/v7/__features/user_licenses', '1000.abc.def')
    expect(unknown.status).toBe(401)
    expect(zohoError.parse(unknown.body).code).toBe('INVALID_TOKEN')
    const none = await get('/crm/v7/__features/user_licenses', null)
    expect(none.status).toBe(401)
    expect(zohoError.parse(none.body).code).toBe('AUTHENTICATION_FAILURE')
  })

  it("says OAUTH_SCOPE_MISMATCH for the licence call in 'scope-mismatch', while the org call still works", async () => {
    const { get } = await start({ scenario: 'scope-mismatch' })
    const res = await get('/crm/v7/__features/user_licenses')
    expect(res.status).toBe(401)
    expect(zohoError.parse(res.body).code).toBe('OAUTH_SCOPE_MISMATCH')
    expect((await get('/crm/v7/org')).status).toBe(200)
  })

  it('says OAUTH_SCOPE_MISMATCH when the token lacks ZohoCRM.features.READ', async () => {
    const s = await startSimulator()
    sim = s
    const orgOnly = await accessToken(s, s.control.mintRefreshToken(['ZohoCRM.org.READ']))
    const res = await crmGet(s.apiDomain, '/crm/v7/__features/user_licenses', orgOnly)
    expect(zohoError.parse(res.body).code).toBe('OAUTH_SCOPE_MISMATCH')
  })

  it("answers 429 TOO_MANY_REQUESTS with Retry-After: 30 in 'rate-limited'", async () => {
    const { get } = await start({ scenario: 'rate-limited' })
    const res = await get('/crm/v7/__features/user_licenses')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('30')
    expect(zohoError.parse(res.body).code).toBe('TOO_MANY_REQUESTS')
  })

  it("answers 204 with no body in 'no-content'", async () => {
    const { get } = await start({ scenario: 'no-content' })
    const res = await get('/crm/v7/__features/user_licenses')
    expect(res.status).toBe(204)
    expect(res.body).toBeNull()
  })

  it("fails every other call in 'flaky': a 503 page, then a cut connection", async () => {
    const { get } = await start({ scenario: 'flaky' })
    const outcomes: (number | string)[] = []
    for (let i = 0; i < 4; i++) {
      outcomes.push(
        await get('/crm/v7/__features/user_licenses').then(
          (r) => r.status,
          () => 'dropped',
        ),
      )
    }
    expect(outcomes).toEqual([200, 503, 200, 'dropped'])
  })
})

describe('failures on command', () => {
  it('fails the next n CRM calls as asked, then answers normally', async () => {
    const { s, get } = await start()
    s.control.failNext(1, 'server-error')
    s.control.failNext(1, 'invalid-token')
    s.control.failNext(1, 'bad-json')
    const first = await get('/crm/v7/__features/user_licenses')
    expect([first.status, zohoError.parse(first.body).code]).toEqual([500, 'INTERNAL_ERROR'])
    expect((await get('/crm/v7/__features/user_licenses')).status).toBe(401)
    await expect(get('/crm/v7/__features/user_licenses')).rejects.toThrow(SyntaxError)
    expect((await get('/crm/v7/__features/user_licenses')).status).toBe(200)
  })

  it('can leave a request hanging so a client’s timeout fires', async () => {
    const { s, token } = await start()
    s.control.failNext(1, 'hang')
    const res = fetch(`${s.apiDomain}/crm/v7/__features/user_licenses`, {
      headers: { authorization: `Zoho-oauthtoken ${token}` },
      signal: AbortSignal.timeout(200),
    })
    await expect(res).rejects.toThrow(/timeout|abort/i)
  })

  it('can fail the token endpoint instead of the CRM', async () => {
    const s = await startSimulator()
    sim = s
    s.control.failNext(1, 'unavailable', 'token')
    const res = await fetch(`${s.accountsServer}/oauth/v2/token`, { method: 'POST' })
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toContain('text/html')
  })
})

async function accessToken(s: Simulator, refreshToken = s.refreshToken): Promise<string> {
  const res = await fetch(`${s.accountsServer}/oauth/v2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: s.client.clientId,
      client_secret: s.client.clientSecret,
      refresh_token: refreshToken,
    }),
  })
  const body = (await res.json()) as { access_token?: string }
  return body.access_token ?? 'no-token'
}

async function crmGet(apiDomain: string, path: string, token: string | null) {
  const headers: Record<string, string> = token ? { authorization: `Zoho-oauthtoken ${token}` } : {}
  const res = await fetch(`${apiDomain}${path}`, { headers })
  const text = await res.text()
  const html = res.headers.get('content-type')?.startsWith('text/html')
  return {
    status: res.status,
    headers: res.headers,
    body: text && !html ? (JSON.parse(text) as unknown) : text || null,
  }
}
