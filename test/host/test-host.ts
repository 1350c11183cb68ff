/**
 * The test host: the whole app without Electron. The one wiring (main/platform/wiring.ts) handed Node's and
 * Chromium's adapters instead of Electron's:
 * - the engine on a virtual clock, whose timers drive the checks (advance() moves it timer to timer);
 * - the Zoho simulator over loopback HTTP, on the same clock;
 * - the real keychain (keytar → gnome-keyring's Secret Service), each host under a service name of its own;
 * - the real settings store (ElectronSettingsStore on electron-store) in a temp userData folder;
 * - the built window in Chromium, whose window.seats reaches the real IPC handlers (bridge.ts);
 * - the tray, notifications, login item and "Save as" dialog recorded at the adapter seam;
 * - power events through the real watchPower, fed by a scripted powerMonitor.
 * Needs test/stories/setup.ts's electron stand-in (only electron-store asks for it).
 */
import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright'
import { PUSH_CHANNELS, type WindowDestination } from '../../common/contract'
import type { AppState } from '../../common/model'
import type { Notice, TrayModel } from '../../main/core/ports'
import { version } from '../../main/core/version'
import type { ZohoClient } from '../../main/core/zoho/oauth'
import { REDIRECT_URI } from '../../main/core/zoho/redirect'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { SystemBrowserAuth } from '../../main/platform/browser-auth'
import { ElectronSettingsStore } from '../../main/platform/electron-settings-store'
import { createInvokeHandlers } from '../../main/platform/ipc'
import { autostartFile, setLinuxAutostart } from '../../main/platform/linux-autostart'
import { watchPower } from '../../main/platform/power'
import { type SaveDialogOptions, saveCsvAs } from '../../main/platform/save-csv'
import { type KeytarLike, openVault } from '../../main/platform/vault'
import { type Host, type Wired, wireSeatTray } from '../../main/platform/wiring'
import { ChromiumAuthBrowser } from '../helpers/consent-page'
import type { VirtualClock } from '../helpers/virtual-clock'
import { runVirtually } from '../helpers/virtual-run'
import { type Bridge, bridgePage, TRUSTED_WEB_CONTENTS } from './bridge'
import type { ServedRenderer } from './renderer'

export interface TestHostOptions {
  browser: Browser
  renderer: ServedRenderer
  /** The Zoho this build signs in to (its client baked in, sign-in starting at its accounts server); null: none. */
  zoho: Simulator | null
  clock: VirtualClock
  /** Reuse a userData folder and keychain service: a restart of the same installation. */
  install?: Installation
  /** 'none': no Secret Service answers (keytar loads, the D-Bus call fails), as on a bare window manager. */
  secretService?: 'gnome-keyring' | 'none'
  /** What the person picks in the "Save as" dialog; null cancels. Default: the suggested name in Documents. */
  saveAs?: (options: SaveDialogOptions) => string | null
}

/** What survives a restart: the disk and the keychain entries. */
export interface Installation {
  dataDir: string
  home: string
  keychainService: string
}

export function newInstallation(): Installation {
  const home = mkdtempSync(join(tmpdir(), 'seat-tray-story-'))
  const dataDir = join(home, 'userData')
  mkdirSync(dataDir)
  return { home, dataDir, keychainService: `seat-tray-story-${process.pid}-${basename(home)}` }
}

export interface TestHost {
  wired: Wired
  clock: VirtualClock
  install: Installation
  trays: TrayModel[]
  notices: Notice[]
  states: AppState[]
  /** Each time main asked to show the window, and where (undefined: where it was). */
  shown: (WindowDestination | undefined)[]
  /** Every call the window made through the bridge; `refused` holds the IPC layer's refusal. */
  calls: { method: string; args: unknown[]; refused?: string }[]
  reports: string[]
  /** Console errors and warnings, page errors and CSP violations of the window, as the window tests guard them. */
  windowProblems: string[]
  saveDialogs: SaveDialogOptions[]
  /** The page, once openWindow() has run. */
  page: Page
  tray(): TrayModel
  /** The person clicks a notification (its body, or its one button): the wiring opens the window where it leads. */
  clickNotification(notice: Notice): void
  openWindow(): Promise<Page>
  /** Moves virtual time, one due timer at a time, each check finishing over the network before the next. */
  advance(ms: number): Promise<void>
  /** What the real keychain holds under this installation's service. */
  keychain(key: string): Promise<string | null>
  /** The login item as a Linux desktop reads it: ~/.config/autostart/seat-tray.desktop. */
  autostartEntryExists(): boolean
  power: EventEmitter
  /** What net.isOnline() answers (watchPower polls it). */
  setOnline(online: boolean): void
  /**
   * The computer's network, at the fetch adapter: 'down' refuses every connection as Node's fetch does with no
   * route (TypeError "fetch failed"); 'held' keeps requests waiting until released, so a test can act "during" one.
   */
  network: { down(): void; up(): void; hold(): void; release(): void; attempts: number }
  settleLoginItem(): Promise<void>
  /** Quits (timers stopped, window closed); the disk and keychain stay for a restart unless `wipe`. */
  stop(options?: { wipe?: boolean }): Promise<void>
}

const ONLINE_POLL_MS = 20

export async function startTestHost(o: TestHostOptions): Promise<TestHost> {
  const install = o.install ?? newInstallation()
  const { clock } = o
  const trays: TrayModel[] = []
  const notices: Notice[] = []
  const states: AppState[] = []
  const shown: (WindowDestination | undefined)[] = []
  const calls: TestHost['calls'] = []
  const reports: string[] = []
  const windowProblems: string[] = []
  const saveDialogs: SaveDialogOptions[] = []
  const loginItemWrites: Promise<void>[] = []
  const env = { XDG_CONFIG_HOME: join(install.home, '.config') }
  let bridge: Bridge | null = null
  let context: BrowserContext | null = null
  let page: Page | null = null
  let inFlight = 0
  let clickNotice: (notice: Notice) => void = () => {}
  let online = true
  let networkDown = false
  let held: Promise<void> = Promise.resolve()
  let release = () => {}
  const network: TestHost['network'] = {
    attempts: 0,
    down: () => {
      networkDown = true
    },
    up: () => {
      networkDown = false
    },
    hold: () => {
      held = new Promise((resolve) => {
        release = resolve
      })
    },
    release: () => release(),
  }

  const vault = await openVault({
    file: join(install.dataDir, 'secrets.bin'),
    // Safe storage is Electron's: without it the fallback is memory, as on Linux with no keyring at all.
    cipher: null,
    acceptBasicText: false,
    service: install.keychainService,
    ...(o.secretService === 'none' ? { loadKeytar: async () => noSecretService() } : {}),
  })
  if (o.secretService !== 'none' && vault.backend !== 'keychain') {
    // Never a silent memory vault: the stories assert what the real keychain holds.
    throw new Error(
      `The story suite needs a Secret Service (gnome-keyring under dbus-run-session, as \`npm test\` starts it): ${vault.status().unavailableReason}`,
    )
  }
  const push = (channel: string, payload: unknown) => bridge?.push(channel, payload)
  /** Pages opened in the system browser (a seat holder's page in Zoho CRM). */
  const opened: string[] = []
  const host: Host = {
    clock,
    dataDir: install.dataDir,
    vault,
    settings: new ElectronSettingsStore(install.dataDir, () => clock.now()),
    fetch: () => async (url, init) => {
      network.attempts++
      if (networkDown) throw new TypeError('fetch failed', { cause: new Error('connect ENETUNREACH') })
      inFlight++
      try {
        await held
        return await fetch(url, init)
      } finally {
        inFlight--
      }
    },
    notifier: (onClick) => {
      clickNotice = onClick
      return { show: (n) => notices.push(n) }
    },
    tray: { render: (m) => trays.push(m) },
    sink: {
      publish: (state) => {
        states.push(state)
        push(PUSH_CHANNELS.onState, state)
      },
    },
    window: {
      show: (to) => {
        shown.push(to)
        if (to) push(PUSH_CHANNELS.onShow, to)
      },
      askProxy: (request) => push(PUSH_CHANNELS.onProxyAuth, request),
    },
    authBrowser: new ChromiumAuthBrowser('accept', o.browser),
    systemBrowser: new SystemBrowserAuth({ open: (url) => clickThroughConsent(o.browser, url) }),
    buildClient: o.zoho ? (o.zoho.client as ZohoClient) : null,
    hostPolicy: { allowLoopback: true },
    ...(o.zoho ? { signInServerOverride: o.zoho.accountsServer } : {}),
    demo: async () => {
      const demo = await startSimulator({ scenario: 'demo', clock })
      return { ...demo, close: () => demo.close() }
    },
    demoAtStart: (state) => !state.clientConfigured && state.accounts.length === 0,
    saveCsv: (csv, file) =>
      saveCsvAs(
        async (options) => {
          saveDialogs.push(options)
          const chosen = o.saveAs ? o.saveAs(options) : options.defaultPath
          return chosen === null ? { canceled: true } : { canceled: false, filePath: chosen }
        },
        join(install.home, 'Documents'),
        csv,
        file,
      ),
    openLink: async () => {},
    openCrmPage: async (url) => opened.push(url),
    // Electron's desktop services (log file, updater) need Electron: the host answers About from Node's facts.
    desktop: {
      getAbout: async () => ({
        version: version(),
        electron: null,
        chromium: null,
        node: process.versions.node,
        os: process.platform,
        dataCenters: [],
        dataFolder: install.dataDir,
        logFile: null,
      }),
      copyDiagnostics: async () => ({ characters: 0 }),
      getUpdate: async () => ({ line: null, canRestart: false }),
      restartToUpdate: async () => {},
    },
    applyLoginItem: (on) => {
      loginItemWrites.push(setLinuxAutostart(on, { execPath: '/opt/Seat Tray/seat-tray', env }))
    },
    quit: () => {},
    report: (what, error) =>
      reports.push(`${what}: ${error instanceof Error ? error.message : String(error)}`),
  }
  mkdirSync(join(install.home, 'Documents'), { recursive: true })
  const wired = wireSeatTray(host)
  const handlers = createInvokeHandlers(wired.backend, {
    webContentsIds: TRUSTED_WEB_CONTENTS,
    devServer: o.renderer.origin,
  })
  await wired.start()
  const powerEvents = new EventEmitter()
  const unwatch = watchPower(wired.engine, {
    powerMonitor: powerEvents,
    isOnline: () => online,
    // Real time, not the virtual clock: a forever-repeating virtual timer would make every moment look "armed".
    onlinePollMs: ONLINE_POLL_MS,
  })

  const self: TestHost = {
    wired,
    clock,
    install,
    trays,
    notices,
    states,
    shown,
    calls,
    reports,
    windowProblems,
    saveDialogs,
    get page() {
      if (!page) throw new Error('openWindow() first')
      return page
    },
    tray: () => trays.at(-1)!,
    clickNotification: (notice) => clickNotice(notice),
    async openWindow() {
      context = await o.browser.newContext({
        viewport: { width: 420, height: 760 },
        locale: 'en-GB',
        timezoneId: 'UTC',
        reducedMotion: 'reduce',
      })
      page = await context.newPage()
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning')
          windowProblems.push(`console ${m.type()}: ${m.text()}`)
      })
      page.on('pageerror', (e) => windowProblems.push(`page error: ${e.message}`))
      bridge = await bridgePage(page, handlers, calls)
      await page.clock.setFixedTime(clock.now())
      await page.goto(o.renderer.origin)
      await page.locator('#app:not([aria-busy="true"])').waitFor()
      return page
    },
    async advance(ms) {
      await runVirtually(clock, ms, { busy: () => inFlight > 0 })
      await page?.clock.setFixedTime(clock.now())
      await bridge?.flushed()
    },
    async keychain(key) {
      return (await loadKeytar()).getPassword(install.keychainService, key)
    },
    autostartEntryExists: () => existsSync(autostartFile(env, install.home)),
    power: powerEvents,
    network,
    setOnline: (value) => {
      online = value
    },
    settleLoginItem: async () => {
      await Promise.all(loginItemWrites)
    },
    async stop(options = {}) {
      unwatch()
      await wired.engine.stop()
      await context?.close()
      bridge = null
      if (options.wipe) {
        const keytar = await loadKeytar()
        for (const entry of await keytarEntries(keytar, install.keychainService))
          await keytar.deletePassword(install.keychainService, entry)
        rmSync(install.home, { recursive: true, force: true })
      }
    },
  }
  return self
}

async function loadKeytar(): Promise<
  KeytarLike & { findCredentials(service: string): Promise<{ account: string }[]> }
> {
  const module = (await import('keytar')) as unknown as { default?: unknown }
  return (module.default ?? module) as KeytarLike & {
    findCredentials(service: string): Promise<{ account: string }[]>
  }
}

async function keytarEntries(keytar: Awaited<ReturnType<typeof loadKeytar>>, service: string) {
  return (await keytar.findCredentials(service).catch(() => [])).map((c) => c.account)
}

/** keytar as it behaves when no Secret Service is on the session bus: it loads, and every call fails. */
function noSecretService(): KeytarLike {
  const refuse = () =>
    Promise.reject(new Error('The name org.freedesktop.secrets was not provided by any .service files'))
  return { getPassword: refuse, setPassword: refuse, deletePassword: refuse }
}

/** The system browser: Zoho's page opens, the person accepts, and the browser really follows the loopback redirect. */
async function clickThroughConsent(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext()
  const page = await context.newPage()
  try {
    await page.goto(url)
    const landed = page.waitForURL((u) => u.origin === new URL(REDIRECT_URI).origin)
    await page.click('#accept')
    await landed
  } finally {
    await context.close()
  }
}
