import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { SeatTrayError } from '../../main/core/errors'
import { systemClock } from '../../main/core/ports'
import type { CrmCall } from '../../main/core/zoho/crm'
import { parseOrg } from '../../main/core/zoho/parse'
import {
  fetchSeatHolderFacts,
  fetchUserCount,
  fetchUsers,
  MAX_USER_PAGES,
  parseUserCount,
  zohoUsersPage,
} from '../../main/core/zoho/users'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { VirtualClock } from '../helpers/virtual-clock'
import { json, type StandIn, startStandIn } from '../helpers/zoho-stand-in'

// Who holds the seats, over real loopback HTTP against the simulator (and a hostile stand-in where Zoho misbehaves).
// The schema restates what crm-oas v8.0 users.json requires of a users page.
const usersPage = z.object({
  users: z.array(
    z.object({
      id: z.string(),
      full_name: z.string(),
      email: z.string(),
      status: z.string(),
      confirm: z.boolean(),
      created_time: z.string(),
      profile: z.object({ name: z.string(), id: z.string() }),
      role: z.object({ name: z.string(), id: z.string() }),
    }),
  ),
  info: z.object({ per_page: z.number(), count: z.number(), page: z.number(), more_records: z.boolean() }),
})

let sim: Simulator | undefined
let standIn: StandIn | undefined
afterEach(async () => {
  await sim?.close()
  await standIn?.close()
  sim = undefined
  standIn = undefined
})

const http = { fetch: (url: string, init?: RequestInit) => fetch(url, init), clock: systemClock }

async function signedIn(
  o: { scenario?: 'no-users-scope' | 'pending-invite'; scopes?: string[]; clock?: VirtualClock } = {},
) {
  sim = await startSimulator({
    ...(o.scenario ? { scenario: o.scenario } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
  })
  const refresh = o.scopes ? sim.control.mintRefreshToken(o.scopes) : sim.refreshToken
  const call: CrmCall = {
    apiDomain: sim.apiDomain,
    accessToken: await accessToken(sim, refresh),
    hostPolicy: { allowLoopback: true },
  }
  const usersRequests = () => sim!.control.requests().filter((r) => r.path.includes('/users')).length
  return { s: sim, call, usersRequests }
}

describe('reading who holds the seats from Zoho', () => {
  it('reads all 450 users of a large org across three pages of 200, in three requests', async () => {
    const { s, call, usersRequests } = await signedIn()
    s.control.setSeats({ purchased: 500, active: 450 })
    s.control.setPeople({ pendingAgesDays: [], deactivated: 0 })
    const list = await fetchUsers(http, call, 'ActiveUsers')
    expect(list.users).toHaveLength(450)
    expect(new Set(list.users.map((u) => u.id)).size).toBe(450)
    expect(list).toMatchObject({ requests: 3, truncated: false })
    expect(usersRequests()).toBe(3)
  })

  it('answers a users page in the shape of Zoho’s spec, with more_records on every page but the last', async () => {
    const { s, call } = await signedIn()
    s.control.setSeats({ purchased: 500, active: 250 })
    const page = async (n: number) => {
      const res = await fetch(`${s.apiDomain}/crm/v7/users?type=ActiveUsers&page=${n}&per_page=200`, {
        headers: { authorization: `Zoho-oauthtoken ${call.accessToken}` },
      })
      return usersPage.parse(await res.json())
    }
    expect((await page(1)).info).toEqual({ per_page: 200, count: 200, page: 1, more_records: true })
    expect((await page(2)).info).toEqual({ per_page: 200, count: 50, page: 2, more_records: false })
  })

  it('stops after 50 pages when Zoho keeps saying there are more records, instead of walking forever', async () => {
    standIn = await startStandIn((res, n) =>
      json(res, 200, {
        users: [
          {
            id: String(n),
            full_name: `User ${n}`,
            email: `u${n}@x.example`,
            status: 'active',
            confirm: true,
          },
        ],
        info: { per_page: 200, count: 1, page: n, more_records: true },
      }),
    )
    const call = { apiDomain: standIn.origin, accessToken: 'tok', hostPolicy: { allowLoopback: true } }
    const list = await fetchUsers(http, call, 'ActiveUsers')
    expect(list.truncated).toBe(true)
    expect(list.users).toHaveLength(MAX_USER_PAGES)
    expect(standIn.crmRequests()).toBe(MAX_USER_PAGES)
  })

  it('stops at an empty page that still claims more records: one request, not a loop', async () => {
    standIn = await startStandIn((res, n) =>
      json(res, 200, { users: [], info: { per_page: 200, count: 0, page: n, more_records: true } }),
    )
    const call = { apiDomain: standIn.origin, accessToken: 'tok', hostPolicy: { allowLoopback: true } }
    expect((await fetchUsers(http, call, 'ActiveUsers')).users).toEqual([])
    expect(standIn.crmRequests()).toBe(1)
  })

  it('marks invites never accepted as unconfirmed active users, with when they were sent', async () => {
    const { call } = await signedIn()
    const facts = await fetchSeatHolderFacts(http, call)
    const pending = facts.active.filter((u) => !u.confirmed)
    expect(pending).toHaveLength(2)
    const ages = pending.map((u) => Math.round((Date.now() - u.createdAt!) / 86_400_000))
    expect(ages).toEqual([12, 3])
    // 20 used seats: 18 confirmed users + the 2 invites; 2 deactivated users hold none.
    expect(facts).toMatchObject({ activeConfirmedCount: 18, deactivatedCount: 2, requests: 3 })
    expect(facts.active).toHaveLength(20)
  })

  it('reads a count whether Zoho writes it as a number (its doc sample) or a string (its spec)', async () => {
    expect(parseUserCount(200, { count: 11 })).toBe(11)
    expect(parseUserCount(200, { count: '11' })).toBe(11)
    expect(() => parseUserCount(200, { count: 'eleven' })).toThrow(SeatTrayError)
    const { call } = await signedIn()
    expect(await fetchUserCount(http, call, 'DeactiveUsers')).toBe(2)
  })

  it('reads nobody, not an error, when Zoho answers 204 for a type with no users', async () => {
    const { s, call } = await signedIn()
    s.control.setPeople({ deactivated: 0 })
    expect((await fetchUsers(http, call, 'DeactiveUsers')).users).toEqual([])
  })

  it('a sign-in without ZohoCRM.users.READ gets OAUTH_SCOPE_MISMATCH for users only; seats and org still read', async () => {
    const { s, call } = await signedIn({ scopes: ['ZohoCRM.features.READ', 'ZohoCRM.org.READ'] })
    const error = await fetchUsers(http, call, 'ActiveUsers').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SeatTrayError)
    expect((error as SeatTrayError).problem).toMatchObject({
      kind: 'scope-missing',
      detail: 'OAUTH_SCOPE_MISMATCH',
    })
    const auth = { authorization: `Zoho-oauthtoken ${call.accessToken}` }
    expect((await fetch(`${s.apiDomain}/crm/v7/__features/user_licenses`, { headers: auth })).status).toBe(
      200,
    )
    expect((await fetch(`${s.apiDomain}/crm/v7/org`, { headers: auth })).status).toBe(200)
  })

  it("in 'no-users-scope' the default sign-in lacks the users scope", async () => {
    const { call } = await signedIn({ scenario: 'no-users-scope' })
    await expect(fetchUserCount(http, call, 'ActiveUsers')).rejects.toMatchObject({
      problem: { kind: 'scope-missing' },
    })
  })

  it("in 'pending-invite' the last seat goes to a new invite after a minute", async () => {
    const clock = new VirtualClock()
    const { s, call } = await signedIn({ scenario: 'pending-invite', clock })
    const virtualHttp = { ...http, clock }
    expect(s.control.seats()).toMatchObject({ purchased: 25, active: 24, available: 1 })
    const before = await fetchSeatHolderFacts(virtualHttp, call)
    expect(before.active.filter((u) => !u.confirmed)).toHaveLength(1)
    await clock.advance(60_000)
    expect(s.control.seats()).toMatchObject({ purchased: 25, active: 25, available: 0 })
    const after = await fetchSeatHolderFacts(virtualHttp, call)
    const pending = after.active.filter((u) => !u.confirmed)
    expect(pending.map((u) => Math.round((clock.now() - u.createdAt!) / 86_400_000))).toEqual([10, 0])
    expect(after.active).toHaveLength(25)
  })
})

describe('links to the org’s Users page in Zoho CRM', () => {
  it('reads the org’s domain_name (org<digits>) for its CRM address, and leaves out anything else', () => {
    const org = (domain_name: unknown) => ({ org: [{ id: '1', company_name: 'Zylker', domain_name }] })
    expect(parseOrg(200, org('org700000002')).crmDomain).toBe('org700000002')
    for (const odd of ['zylker', 'org12/../x', 42, null])
      expect(parseOrg(200, org(odd)).crmDomain).toBeUndefined()
  })

  it('builds the Users page for the data center and the org’s domain_name, and one user’s page under it', () => {
    expect(zohoUsersPage('https://www.zohoapis.eu', 'org700000002')).toBe(
      'https://crm.zoho.eu/crm/org700000002/settings/users',
    )
    expect(zohoUsersPage('https://www.zohoapis.ca', 'org1', '4150868000000300001')).toBe(
      'https://crm.zohocloud.ca/crm/org1/settings/users/4150868000000300001',
    )
    expect(zohoUsersPage('https://www.zohoapis.com.au', 'org5')).toBe(
      'https://crm.zoho.com.au/crm/org5/settings/users',
    )
  })

  it('links Zoho’s documented help page when the org’s address is unknown or not Zoho’s', () => {
    const help = 'https://help.zoho.com/portal/en/kb/crm/users-and-control/users/articles/manage-users'
    expect(zohoUsersPage('https://www.zohoapis.com', null)).toBe(help)
    expect(zohoUsersPage('http://127.0.0.1:4000', 'org5')).toBe(help)
    expect(zohoUsersPage('https://www.zohoapis.com', 'org5/../../evil')).toBe(help)
  })
})

async function accessToken(s: Simulator, refreshToken: string): Promise<string> {
  const res = await fetch(`${s.accountsServer}/oauth/v2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: s.client.clientId,
      client_secret: s.client.clientSecret,
      refresh_token: refreshToken,
    }),
  })
  return ((await res.json()) as { access_token: string }).access_token
}
