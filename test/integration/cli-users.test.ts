/**
 * `seat-tray users` over real loopback HTTP against the simulator, through runCli as the process would run it.
 * Every test counts the CRM requests at the simulator.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../main/cli'
import type { Env } from '../../main/cli/config'
import { type ScenarioName, type Simulator, startSimulator } from '../../main/demo/simulator'
import { VirtualClock } from '../helpers/virtual-clock'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

async function simulator(scenario: ScenarioName = 'steady', clock?: VirtualClock) {
  const sim = await startSimulator({ scenario, ...(clock ? { clock } : {}) })
  cleanups.push(() => sim.close())
  const cache = mkdtempSync(join(tmpdir(), 'seat-tray-users-'))
  cleanups.push(() => rmSync(cache, { recursive: true, force: true }))
  const env: Env = {
    ZOHO_CLIENT_ID: sim.client.clientId,
    ZOHO_CLIENT_SECRET: sim.client.clientSecret,
    ZOHO_REFRESH_TOKEN: sim.refreshToken,
    ZOHO_ACCOUNTS_SERVER: sim.accountsServer,
    ZOHO_ALLOW_LOOPBACK: '1',
    XDG_CACHE_HOME: cache,
    HOME: '/nonexistent',
  }
  return { sim, env }
}

const crmRequests = (sim: Simulator) =>
  sim.control.requests().filter((r) => r.path.startsWith('/crm/')).length

async function cli(args: string[], env: Env, clock?: VirtualClock) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    env,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    ...(clock ? { clock } : {}),
  })
  return { code, stdout, stderr }
}

describe('seat-tray users', () => {
  it('--json lists the seat holders with pending invites marked, first and oldest first, in 5 requests', async () => {
    const { sim, env } = await simulator()
    const run = await cli(['users', '--json'], env)
    expect(run.code).toBe(0)
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
    const out = JSON.parse(run.stdout)
    expect(out).toMatchObject({
      status: 'OK',
      org: 'Zylker Traders',
      pendingInvites: 2,
      pendingCounting: 'counted',
      deactivatedUsers: 2,
      requests: 5,
    })
    expect(out.holders).toHaveLength(20)
    expect(
      out.holders
        .slice(0, 3)
        .map((h: { state: string; pendingDays: number | null }) => [h.state, h.pendingDays]),
    ).toEqual([
      ['pending', 12],
      ['pending', 3],
      ['confirmed', null],
    ])
    expect(out.suggestions).toHaveLength(1)
    expect(crmRequests(sim)).toBe(5)
    // No token or secret in what it prints.
    for (const secret of [env.ZOHO_REFRESH_TOKEN!, env.ZOHO_CLIENT_SECRET!]) {
      expect(run.stdout + run.stderr).not.toContain(secret)
    }
  })

  it('prints one line per holder, pending invites marked, and where in Zoho to free seats', async () => {
    const { env } = await simulator()
    const run = await cli(['users'], env)
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe('Zylker Traders: 20 active users, 2 pending invites, 2 deactivated.')
    expect(lines[3]).toMatch(/^PENDING 12d {2}\S+ \S+ <\S+@zylker\.example> .*← could be freed$/)
    expect(lines[4]).toMatch(/^PENDING 3d /)
    expect(run.stdout).toMatch(/Free seats in Zoho CRM: https:\/\/help\.zoho\.com\//)
    expect(run.stdout).toMatch(/This look cost 5 API credits\./)
  })

  it('suggests invites older than --stale-days', async () => {
    const { env } = await simulator()
    const out = JSON.parse((await cli(['users', '--json', '--stale-days', '2'], env)).stdout)
    expect(out.suggestions).toHaveLength(2)
  })

  it('says which scope to add when the refresh token predates ZohoCRM.users.READ, as UNKNOWN in JSON', async () => {
    const { sim, env } = await simulator('no-users-scope')
    const run = await cli(['users', '--json'], env)
    expect(run.code).toBe(3)
    const out = JSON.parse(run.stdout)
    expect(out).toEqual({
      status: 'UNKNOWN',
      error: { kind: 'scope-missing', message: expect.stringContaining('ZohoCRM.users.READ') },
    })
    expect(out.error.message).toMatch(/status keeps working/)
    // Seats, org, then the one users request that found the scope missing.
    expect(crmRequests(sim)).toBe(3)
    // status keeps working with the same token.
    expect((await cli(['status'], env)).code).toBe(0)
  })

  it('refuses a bad option with UNKNOWN and the usage, asking Zoho nothing', async () => {
    const { sim, env } = await simulator()
    const run = await cli(['users', '--stale-days', 'soon'], env)
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/^ZOHO SEATS UNKNOWN - --stale-days/)
    expect(sim.control.requests()).toEqual([])
  })

  it("against 'pending-invite', shows the new invite that took the last seat", async () => {
    const clock = new VirtualClock(Date.now())
    const { env } = await simulator('pending-invite', clock)
    await clock.advance(5 * 60_000)
    const out = JSON.parse((await cli(['users', '--json'], env, clock)).stdout)
    expect(out.holders).toHaveLength(25)
    expect(out.holders.slice(0, 2).map((h: { pendingDays: number }) => h.pendingDays)).toEqual([10, 0])
    expect(out.pendingCountingText).toMatch(/25 used = 23 confirmed users \+ 2 pending invites/)
  })
})

describe('seat-tray status --verbose', () => {
  it('adds "2 pending invites hold seats" when the scope allows, for two count requests more', async () => {
    const { sim, env } = await simulator()
    const plain = await cli(['status'], env)
    const before = crmRequests(sim)
    const run = await cli(['status', '-v'], env)
    expect(run.code).toBe(plain.code)
    expect(run.stdout.split('\n')).toContain('2 pending invites hold seats')
    // Seats, org, and the two counts.
    expect(crmRequests(sim) - before).toBe(4)
    expect(plain.stdout).not.toMatch(/pending/)
  })

  it('says invites hold no seat in an org whose used seats leave them out', async () => {
    const { sim, env } = await simulator()
    sim.control.setPeople({ pendingCounted: false })
    const run = await cli(['status', '-v'], env)
    expect(run.stdout.split('\n')).toContain(
      '2 pending invites (Zoho does not count them as used seats here)',
    )
  })

  it('stays OK and says what the token lacks when it predates ZohoCRM.users.READ', async () => {
    const { env } = await simulator('no-users-scope')
    const run = await cli(['status', '-v'], env)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^ZOHO SEATS OK - /)
    expect(run.stdout.split('\n')).toContain('seat holders: the refresh token lacks ZohoCRM.users.READ')
  })
})
