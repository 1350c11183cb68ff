/**
 * The one wiring (main/platform/wiring.ts) with Node's adapters: the composition main/index.ts runs in Electron,
 * here against the simulator over loopback HTTP. What the window's backend does, what each tray menu item does, and
 * what happens at start are the same code in both hosts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS, type WindowDestination } from '../../common/contract'
import type { AppState } from '../../common/model'
import type { AccountRecord } from '../../common/settings'
import { MemoryVault } from '../../main/core/memory-vault'
import { type Notice, systemClock, type TrayModel } from '../../main/core/ports'
import type { TrayCommand } from '../../main/core/tray-menu'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { type Host, type Wired, wireSeatTray } from '../../main/platform/wiring'
import { MemorySettings } from '../helpers/headless'

let sim: Simulator
let dataDir: string
let wired: Wired | null = null

beforeEach(async () => {
  sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
  dataDir = mkdtempSync(join(tmpdir(), 'seat-tray-wiring-'))
})

afterEach(async () => {
  await wired?.engine.stop()
  wired = null
  rmSync(dataDir, { recursive: true, force: true })
  await sim.close()
})

class HostVault extends MemoryVault {
  /** In order: each basic_text answer applied, and each secret read. */
  events: string[] = []
  status() {
    return { needsConsent: false, unavailableReason: null }
  }
  async acceptBasicText(accept: boolean) {
    this.events.push(`basic_text ${accept}`)
  }
  override async get(key: string) {
    this.events.push(`read ${key}`)
    return super.get(key)
  }
}

interface Recorded {
  host: Host
  vault: HostVault
  settings: MemorySettings
  shown: (WindowDestination | undefined)[]
  /** The person clicks a notification the engine showed (its body, or its one button). */
  clickNotice: (notice: Notice) => void
  trays: TrayModel[]
  states: AppState[]
  notices: Notice[]
  loginItem: boolean[]
  updates: boolean[]
  quits: number
  secrets: string[]
  opened: string[]
  demos: number
}

function node(over: Partial<Host> = {}, signedIn = true): Recorded {
  const vault = new HostVault()
  const settings = new MemorySettings()
  if (signedIn) {
    const record: AccountRecord = {
      id: 'us-1',
      dataCenter: 'US',
      accountsServer: sim.accountsServer,
      apiDomain: sim.apiDomain,
      orgId: '1',
      orgName: 'Acme Ltd',
      addedAt: 0,
    }
    settings.saved.accounts = [record]
    void vault.set('refresh:us-1', sim.refreshToken)
  }
  const r: Recorded = {
    vault,
    settings,
    shown: [],
    trays: [],
    states: [],
    notices: [],
    loginItem: [],
    updates: [],
    quits: 0,
    secrets: [],
    opened: [],
    demos: 0,
    clickNotice: () => {},
    host: undefined as unknown as Host,
  }
  r.host = {
    clock: systemClock,
    dataDir,
    vault,
    settings,
    fetch: () => (url, init) => fetch(url, init),
    notifier: (onClick) => {
      r.clickNotice = onClick
      return { show: (n) => r.notices.push(n) }
    },
    tray: { render: (m) => r.trays.push(m) },
    sink: { publish: (s) => r.states.push(s) },
    window: { show: (to) => r.shown.push(to), askProxy: () => {} },
    authBrowser: { authorize: () => Promise.reject(new Error('no sign-in in this test')) },
    buildClient: signedIn ? sim.client : null,
    hostPolicy: { allowLoopback: true },
    demo: async () => {
      r.demos++
      const demo = await startSimulator({ scenario: 'demo' })
      return { ...demo, close: () => demo.close() }
    },
    demoAtStart: (state) => !state.clientConfigured && state.accounts.length === 0,
    forWindow: (state) => ({ ...state, notices: [...state.notices, 'no tray here'] }),
    saveCsv: async (csv) => ({ saved: csv.length > 0, path: '/chosen/by/the/person.csv' }),
    openLink: async () => {},
    openCrmPage: async (url) => r.opened.push(url),
    applyLoginItem: (on) => r.loginItem.push(on),
    applyUpdates: (on) => r.updates.push(on),
    desktop: {
      getAbout: async () => ({
        version: '0.1.0',
        electron: null,
        chromium: null,
        node: process.versions.node,
        os: process.platform,
        dataCenters: [],
        dataFolder: dataDir,
        logFile: null,
      }),
      copyDiagnostics: async () => ({ characters: 0 }),
      getUpdate: async () => ({ line: null, canRestart: false }),
      restartToUpdate: async () => {},
    },
    secretSeen: (value) => r.secrets.push(value),
    quit: () => r.quits++,
    report: () => {},
    ...over,
  }
  return r
}

const licenseCalls = () => sim.control.requests().filter((q) => q.path.endsWith('/user_licenses')).length

describe('one wiring, two hosts', () => {
  it('at start applies the saved basic_text answer before any check, then the login item, and shows the numbers', async () => {
    const r = node()
    r.settings.saved.acceptPlainTextSecrets = true
    r.settings.saved.launchAtLogin = true
    wired = wireSeatTray(r.host)
    await wired.start()
    await wired.engine.refresh()
    expect(r.vault.events[0]).toBe('basic_text true')
    expect(r.vault.events).toContain('read refresh:us-1')
    expect(r.loginItem).toEqual([true])
    expect(r.updates).toEqual([true])
    expect(r.trays.at(-1)?.badge).toBe('5')
    expect(r.demos).toBe(0)
  })

  it('starts the demo when nothing is set up, and only then', async () => {
    const r = node({}, false)
    wired = wireSeatTray(r.host)
    await wired.start()
    expect(r.demos).toBe(1)
    expect(wired.engine.state().demo).toBe(true)
  })

  it('answers every method of the window contract, and forwards each engine command as it is', async () => {
    const r = node()
    wired = wireSeatTray(r.host)
    await wired.start()
    for (const method of Object.keys(INVOKE_CHANNELS))
      expect(typeof wired.backend[method as 'refresh']).toBe('function')
    const saved = await wired.backend.updateSettings({ pollMinutes: 30 })
    expect(saved.pollMinutes).toBe(30)
    expect(r.settings.saved.pollMinutes).toBe(30)
    // Turning updates off reaches the updater at once, and is kept.
    await wired.backend.updateSettings({ autoUpdate: false })
    expect(r.updates.at(-1)).toBe(false)
    expect(r.settings.saved.autoUpdate).toBe(false)
    await wired.backend.refresh('us-1')
    await wired.backend.snooze('hour')
    expect(wired.engine.state().snoozedUntil).toBeGreaterThan(Date.now())
    const history = await wired.backend.getHistory({ accountId: 'us-1', range: '24h' })
    expect(history.points.at(-1)).toMatchObject({ available: 5 })
  })

  it('gives the window the state as the host shows it, and saves the CSV where the host says', async () => {
    const r = node()
    wired = wireSeatTray(r.host)
    await wired.start()
    await wired.engine.refresh()
    expect((await wired.backend.getState()).notices).toContain('no tray here')
    expect(await wired.backend.exportCsv({ accountId: 'us-1', range: '24h' })).toEqual({
      saved: true,
      path: '/chosen/by/the/person.csv',
    })
  })

  it('tray menu items do what they say: refresh asks Zoho once, an account opens the window on it, quit quits', async () => {
    const r = node()
    wired = wireSeatTray(r.host)
    await wired.start()
    await wired.engine.refresh()
    const before = licenseCalls()
    const run = (command: TrayCommand) => wired!.runTrayCommand(command)
    run({ kind: 'refresh' })
    run({ kind: 'refresh' }) // a second click joins the check under way
    await wired.engine.refresh()
    expect(licenseCalls() - before).toBe(1)
    run({ kind: 'show-account', accountId: 'us-1' })
    run({ kind: 'open' })
    expect(r.shown).toEqual([{ accountId: 'us-1' }, undefined])
    run({ kind: 'quit' })
    expect(r.quits).toBe(1)
  })

  it('tray “Settings…” opens the window on Settings, and “About Seat Tray” on Settings › About', () => {
    const r = node()
    wired = wireSeatTray(r.host)
    wired.runTrayCommand({ kind: 'settings' })
    wired.runTrayCommand({ kind: 'about' })
    expect(r.shown).toEqual([{ view: 'settings' }, { view: 'about' }])
    // Opening a view asks Zoho nothing.
    expect(sim.control.requests()).toEqual([])
  })

  it('a click on the seats-ran-out notice (or its “Show who”) opens who holds the seats; others open the org', async () => {
    const r = node()
    wired = wireSeatTray(r.host)
    await wired.start()
    await wired.engine.refresh()
    sim.control.setSeats({ purchased: 25, active: 25 })
    await wired.engine.refresh()
    const out = r.notices.filter((n) => n.kind === 'out')
    expect(out).toHaveLength(1)
    expect(out[0]!.action).toEqual({ label: 'Show who', opens: 'seat-holders' })
    const before = sim.control.requests().length
    r.clickNotice(out[0]!)
    r.clickNotice({
      kind: 'low',
      accountId: 'us-1',
      title: 'Seat Tray: 1 seat left',
      body: '1 of 25 seats is free.',
    })
    r.clickNotice({ kind: 'renewal', accountId: null, title: 'Renewal', body: 'Soon.' })
    expect(r.shown).toEqual([{ accountId: 'us-1', view: 'seat-holders' }, { accountId: 'us-1' }, undefined])
    // A click only opens the window: it asks Zoho nothing.
    expect(sim.control.requests().length).toBe(before)
  })

  it('tells the log redactor about a proxy password typed in the window, and never anything else', async () => {
    const r = node()
    wired = wireSeatTray(r.host)
    await wired.start()
    await wired.backend.answerProxyAuth({
      id: 'nobody-asked',
      username: 'u',
      password: 'hunter2',
      remember: false,
    })
    await wired.backend.answerProxyAuth({ id: 'nobody-asked', cancel: true })
    expect(r.secrets).toEqual(['hunter2'])
  })
})
