/**
 * The app controller over its life: restart, corrupt files, settings, offline, demo, snooze — on Node adapters
 * against the simulator over loopback HTTP. Checks are asked for with refresh() so nothing waits on wall-clock timers.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccountRecord } from '../../common/settings'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { consentBot } from '../doubles/consent-bot'
import {
  type Headless,
  type HeadlessOverrides,
  MemorySettings,
  MemoryVault,
  startHeadless,
} from '../helpers/headless'

let sim: Simulator
const running: Headless[] = []

beforeEach(async () => {
  sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
})

afterEach(async () => {
  const apps = running.splice(0)
  for (const h of apps) await h.app.stop()
  for (const h of apps) rmSync(h.dataDir, { recursive: true, force: true })
  await sim.close()
})

/** An app that already has one signed-in account pointing at the simulator. */
function signedInApp(overrides: HeadlessOverrides = {}): Headless {
  const record: AccountRecord = {
    id: 'us-1',
    dataCenter: 'US',
    accountsServer: sim.accountsServer,
    apiDomain: sim.apiDomain,
    orgId: '1',
    orgName: 'Acme Ltd',
    addedAt: 0,
  }
  const settings = overrides.settings ?? new MemorySettings()
  if (settings.saved.accounts.length === 0) settings.saved.accounts = [record]
  const vault = overrides.vault ?? new MemoryVault()
  void vault.set('refresh:us-1', sim.refreshToken)
  const h = startHeadless({ buildClient: sim.client, settings, vault, ...overrides })
  running.push(h)
  return h
}

describe('starting up', () => {
  it('shows the last known numbers in the tray at once after a restart, before Zoho answers', async () => {
    const first = signedInApp()
    await first.app.start()
    await first.app.refresh()
    expect(first.lastTray().badge).toBe('5')
    await first.app.stop()

    // Zoho hangs on the next call: the tray must not wait for it.
    sim.control.failNext(1, 'hang')
    const second = signedInApp({ dataDir: first.dataDir, settings: first.settings, vault: first.vault })
    await second.app.start()
    expect(second.trays[0]?.badge).toBe('5')
    expect(second.app.state().accounts[0]?.latest?.available).toBe(5)
  })

  it('survives a corrupt state file: starts, keeps history, and says an alert may repeat', async () => {
    const first = signedInApp()
    await first.app.start()
    await first.app.refresh()
    await first.app.stop()
    writeFileSync(join(first.dataDir, 'state.json'), '{"alerts": {"us-1": tor')

    const second = signedInApp({ dataDir: first.dataDir, settings: first.settings, vault: first.vault })
    await second.app.start()
    expect(second.app.state().notices.join(' ')).toMatch(/alert may repeat/)
    const history = await second.app.getHistory({ accountId: 'us-1', range: '24h' })
    expect(history.points.at(-1)).toMatchObject({ available: 5 })
  })
})

describe('settings', () => {
  it('a shorter poll interval moves the next check closer and shows its cost in API calls', async () => {
    const h = signedInApp()
    await h.app.start()
    await h.app.refresh()
    await h.app.updateSettings({ pollMinutes: 5 })
    const [account] = h.app.state().accounts
    expect(account?.callsPerDay).toBe(288)
    expect(account!.nextCheckAt! - Date.now()).toBeLessThanOrEqual(5.5 * 60_000)
    expect(h.settings.saved.pollMinutes).toBe(5)
  })

  it('refuses an out-of-range interval and keeps the old one', async () => {
    const h = signedInApp()
    await h.app.start()
    await expect(h.app.updateSettings({ pollMinutes: 0 })).rejects.toThrow()
    expect((await h.app.getSettings()).pollMinutes).toBe(15)
  })

  it('a low threshold in percent is resolved against purchased seats', async () => {
    const h = signedInApp()
    await h.app.start()
    await h.app.updateSettings({ lowThreshold: { unit: 'percent', value: 20 } })
    await h.app.refresh()
    const [account] = h.app.state().accounts
    expect(account?.lowAt).toBe(5)
    expect(account?.tone).toBe('low')
    expect(h.notices.map((n) => n.kind)).toEqual(['low'])
  })

  it('stores an org’s own client secret in the vault, never in settings, and never returns it', async () => {
    const h = startHeadless()
    running.push(h)
    await h.app.start()
    const view = await h.app.setClient({ clientId: '1000.ABCDEFGH12345', clientSecret: 'super-secret-value' })
    expect(view).toMatchObject({ clientConfigured: true, hasClientSecret: true })
    expect(JSON.stringify(view)).not.toContain('super-secret-value')
    expect(JSON.stringify(h.settings.saved)).not.toContain('super-secret-value')
    expect(await h.vault.get('client-secret')).toBe('super-secret-value')
  })
})

describe('offline and paused', () => {
  it('greys the tray while offline, keeps the last number, and asks Zoho nothing', async () => {
    const h = signedInApp()
    await h.app.start()
    await h.app.refresh()
    const before = sim.control.requests().length
    h.app.pause('offline')
    expect(h.lastTray()).toMatchObject({ tone: 'offline', badge: '5' })
    expect(h.app.state().online).toBe(false)
    h.app.resume('offline')
    expect(h.app.state().online).toBe(true)
    expect(sim.control.requests().length).toBeLessThanOrEqual(before + 1)
  })
})

describe('demo mode', () => {
  it('“Try the demo” shows live seats with no Zoho account and no browser', async () => {
    const demoSim = await startSimulator({ scenario: 'demo' })
    const h = startHeadless({
      demo: async () => ({
        accountsServer: demoSim.accountsServer,
        apiDomain: demoSim.apiDomain,
        client: demoSim.client,
        refreshToken: demoSim.refreshToken,
        close: () => demoSim.close(),
      }),
    })
    running.push(h)
    await h.app.start()
    await h.app.startDemo()
    await h.app.refresh()
    const state = h.app.state()
    expect(state.demo).toBe(true)
    expect(state.accounts).toHaveLength(1)
    expect(state.accounts[0]?.latest?.purchased).toBeGreaterThan(0)
    expect(h.lastTray().badge).toMatch(/^\d+$/)
    // A demo account is never written to the user's settings.
    expect(h.settings.saved.accounts).toEqual([])
  })
})

describe('snooze', () => {
  it('keeps quiet while snoozed, and the snooze survives a restart', async () => {
    const h = signedInApp()
    await h.app.start()
    await h.app.snooze('hour')
    sim.control.setSeats({ purchased: 25, active: 25 })
    await h.app.refresh()
    expect(h.lastTray().tone).toBe('out')
    expect(h.notices).toEqual([])
    await h.app.stop()

    const again = signedInApp({ dataDir: h.dataDir, settings: h.settings, vault: h.vault })
    await again.app.start()
    expect(again.app.state().snoozedUntil).not.toBeNull()
    await again.app.refresh()
    // Already out before the restart: nothing to announce, snoozed or not.
    expect(again.notices).toEqual([])
  })
})

describe('leaving the demo', () => {
  it('signing in to a real org with a configured client ends the demo and closes its simulator', async () => {
    const demoSim = await startSimulator({ scenario: 'demo' })
    let demoClosed = false
    const h = startHeadless({
      buildClient: sim.client,
      signInServerOverride: sim.accountsServer,
      authBrowser: consentBot(),
      demo: async () => ({
        accountsServer: demoSim.accountsServer,
        apiDomain: demoSim.apiDomain,
        client: demoSim.client,
        refreshToken: demoSim.refreshToken,
        close: async () => {
          demoClosed = true
          await demoSim.close()
        },
      }),
    })
    running.push(h)
    await h.app.start()
    await h.app.startDemo()
    expect(h.app.state().demo).toBe(true)

    await h.app.signIn({ dataCenter: 'US', via: 'window' })
    const state = h.app.state()
    expect(state.demo).toBe(false)
    expect(demoClosed).toBe(true)
    expect(state.accounts.map((a) => a.id)).not.toContain('demo')
    expect(state.accounts).toHaveLength(1)
    expect(h.settings.saved.accounts[0]?.accountsServer).toBe(sim.accountsServer)
  })

  it('signing out of the demo account ends the demo', async () => {
    const demoSim = await startSimulator({ scenario: 'demo' })
    const h = startHeadless({
      demo: async () => ({ ...demoSim, client: demoSim.client, close: () => demoSim.close() }),
    })
    running.push(h)
    await h.app.start()
    await h.app.startDemo()
    await h.app.signOut('demo')
    expect(h.app.state()).toMatchObject({ demo: false, accounts: [] })
  })
})

describe('a sign-in that does not finish', () => {
  it('says why in the state, and clears it when the next sign-in starts', async () => {
    const h = startHeadless({
      buildClient: sim.client,
      signInServerOverride: sim.accountsServer,
      authBrowser: consentBot({ decision: 'reject' }),
    })
    running.push(h)
    await h.app.start()
    await expect(h.app.signIn({ dataCenter: 'US', via: 'window' })).rejects.toThrow()
    expect(h.app.state().signInProblem?.kind).toBe('sign-in-cancelled')
    expect(h.app.state().signingIn).toBeNull()
    expect(h.app.state().accounts).toEqual([])
  })

  it('without a Zoho client, explains how to get one instead of opening Zoho', async () => {
    const h = startHeadless()
    running.push(h)
    await h.app.start()
    await expect(h.app.signIn({ dataCenter: 'EU', via: 'window' })).rejects.toThrow(/API console/)
    expect(h.app.state().signInProblem).toMatchObject({ kind: 'invalid-client', action: 'check-client' })
  })
})

describe('history retention', () => {
  it('a shorter retention drops older history at once, keeping the value still in force', async () => {
    const h = signedInApp()
    await h.app.start()
    await h.app.refresh()
    const log = join(h.dataDir, 'history', 'us-1.jsonl')
    // Readings from 200 and 150 days ago, as if the log were old.
    const old = Date.now() - 200 * 24 * 60 * 60_000
    const inForce = Date.now() - 150 * 24 * 60 * 60_000
    writeFileSync(
      log,
      `{"t":${old},"p":20,"a":20,"f":0,"m":0}\n{"t":${inForce},"p":20,"a":18,"f":2,"m":0}\n${readFileSync(log, 'utf8')}`,
    )
    await h.app.stop()
    const again = signedInApp({ dataDir: h.dataDir, settings: h.settings, vault: h.vault })
    await again.app.start()
    expect(readFileSync(log, 'utf8')).toContain(`"t":${old}`)
    await again.app.updateSettings({ historyRetentionDays: 90 })
    expect(readFileSync(log, 'utf8')).not.toContain(`"t":${old}`)
    // The reading in force when the kept window starts stays, so the chart does not begin empty.
    expect(readFileSync(log, 'utf8')).toContain(`"t":${inForce}`)
    const year = await again.app.getHistory({ accountId: 'us-1', range: '1y' })
    expect(year.points.at(-1)?.available).toBe(5)
  })
})

describe('when the client secret is gone', () => {
  it('keeps showing the org with the fix, asks Zoho nothing, and checks again once the client is entered', async () => {
    const settings = new MemorySettings()
    const first = signedInApp({ settings })
    await first.app.start()
    await first.app.refresh()
    await first.app.stop()

    // The keychain did not give the client secret back this time: no build-time client, nothing in the vault.
    settings.saved.clientId = sim.client.clientId
    const vault = new MemoryVault()
    await vault.set('refresh:us-1', sim.refreshToken)
    const again = startHeadless({ dataDir: first.dataDir, settings, vault })
    running.push(again)
    const before = sim.control.requests().length
    await again.app.start()
    await again.app.refresh()
    const [account] = again.app.state().accounts
    expect(account?.problem).toMatchObject({ kind: 'invalid-client', action: 'check-client' })
    expect(account?.latest?.available).toBe(5)
    expect(sim.control.requests().length).toBe(before)

    await again.app.setClient(sim.client)
    await again.app.refresh()
    expect(again.app.state().accounts[0]?.problem).toBeNull()
    expect(sim.control.requests().length).toBeGreaterThan(before)
  })
})
