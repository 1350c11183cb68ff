/**
 * One wiring, two hosts: what the app is made of (the engine, who answers an office proxy, the IPC backend the
 * window talks to, what each tray menu item does, what happens at start) composed from adapters it is handed.
 * main/index.ts hands it Electron's; the test host hands it Node's and Chromium's. No Electron at run time here
 * (only types), so the whole composition runs in plain Node.
 */
import {
  type ExportOutcome,
  INVOKE_CHANNELS,
  type ProxyAuthRequest,
  type SeatCommands,
  type WindowDestination,
} from '../../common/contract'
import type { AppState } from '../../common/model'
import type { Settings } from '../../common/settings'
import { createSeatTray, type DemoEndpoints, type SeatTray } from '../core/app'
import { DiskWriteError } from '../core/atomic-file'
import type {
  AuthBrowser,
  Clock,
  FetchLike,
  Notice,
  Notifier,
  SecretVault,
  SettingsStore,
  StateSink,
  TrayView,
  VaultStatus,
} from '../core/ports'
import { noticeDestination } from '../core/ports'
import { ProxyAuth } from '../core/proxy-credentials'
import type { TrayCommand } from '../core/tray-menu'
import type { HostPolicy } from '../core/zoho/datacenters'
import type { ZohoClient } from '../core/zoho/oauth'
import type { DesktopBackend, SeatsBackend } from './ipc'
import { type CsvFile, historyCsvFile } from './save-csv'

/** The vault as the platform opens it: it also says where secrets live and takes the person's basic_text answer. */
export interface HostVault extends SecretVault {
  status(): VaultStatus
  acceptBasicText(accept: boolean): Promise<void>
}

/** The window, as the wiring needs it: show it (where it was, or at a destination), and push what only it shows. */
export interface WindowPort {
  show(to?: WindowDestination): void
  askProxy(request: ProxyAuthRequest): void
}

export interface Host {
  clock: Clock
  dataDir: string
  vault: HostVault
  settings: SettingsStore
  /** Every request of the engine, given who answers a proxy's challenge (Electron: net.request with 'login'). */
  fetch(proxyAuth: ProxyAuth): FetchLike
  /** Notifications; `onClick` gets the notice the person clicked (its body, or its one button). */
  notifier(onClick: (notice: Notice) => void): Notifier
  tray: TrayView
  /** The window's state pushes. */
  sink: StateSink
  window: WindowPort
  authBrowser: AuthBrowser
  systemBrowser?: AuthBrowser
  buildClient: ZohoClient | null
  hostPolicy: HostPolicy
  signInServerOverride?: string
  demo: () => Promise<DemoEndpoints>
  /** SEAT_TRAY_DEMO=1, or nothing set up yet: start in demo mode (never under the E2E suite's own Zoho). */
  demoAtStart: (state: AppState) => boolean
  /** What the window sees of the state (plus, say, the hint when the desktop has no tray). */
  forWindow?: (state: AppState) => AppState
  /** Asks where to save (a native dialog) and writes the file; a disk that refuses throws DiskWriteError. */
  saveCsv(csv: string, file: CsvFile): Promise<{ saved: boolean; path?: string }>
  openLink: SeatsBackend['openLink']
  /** Opens a page in the system browser (one the link check allows: Zoho CRM's Users pages, say). */
  openCrmPage(url: string): Promise<unknown>
  applyLoginItem(launchAtLogin: boolean): void
  /** Updates on or off (the person's setting; the install may still rule them out). */
  applyUpdates?(enabled: boolean): void
  /** The tray icon in colour, or monochrome following the panel's light or dark theme. */
  applyTrayIcon?(style: Settings['trayIcon']): void
  /** About, "Copy diagnostics" and updates (Electron: desktop-services; a test host: its own). */
  desktop: DesktopBackend
  /** A typed proxy password never passes the vault: the log's redactor is told of it here. */
  secretSeen?: (value: string) => void
  quit(): void
  report(what: string, error: unknown): void
}

export interface Wired {
  engine: SeatTray
  proxyAuth: ProxyAuth
  backend: SeatsBackend
  runTrayCommand(command: TrayCommand): void
  /** The person's saved answers applied, the last known numbers shown, the first checks under way. */
  start(): Promise<void>
}

/** The window's methods that are engine commands; the others (WindowExtras) the wiring answers itself. */
type CommandMethod = keyof SeatCommands

export function wireSeatTray(host: Host): Wired {
  let engine: SeatTray | null = null
  const proxyAuth = new ProxyAuth({
    vault: host.vault,
    clock: host.clock,
    ask: (request) => host.window.askProxy(request),
    // The check that met the proxy has failed by now (20 s timeout): check again with the answer.
    onAnswered: () => {
      engine?.refresh().catch((error: unknown) => host.report('Refresh after proxy sign-in', error))
    },
  })
  engine = createSeatTray({
    fetch: host.fetch(proxyAuth),
    clock: host.clock,
    vault: host.vault,
    notifier: host.notifier((notice) => host.window.show(noticeDestination(notice))),
    tray: host.tray,
    sink: host.sink,
    authBrowser: host.authBrowser,
    ...(host.systemBrowser ? { systemBrowser: host.systemBrowser } : {}),
    settings: host.settings,
    dataDir: host.dataDir,
    buildClient: host.buildClient,
    hostPolicy: host.hostPolicy,
    demo: host.demo,
    ...(host.signInServerOverride ? { signInServerOverride: host.signInServerOverride } : {}),
    vaultStatus: () => host.vault.status(),
    onSettingsChanged: (settings) => applySettings(host, settings),
  })
  const app = engine
  const forWindow = host.forWindow ?? ((state: AppState) => state)

  const backend: SeatsBackend = {
    ...forwardCommands(app),
    // The person asked for a check: a proxy they dismissed may ask them again.
    refresh: (accountId) => {
      proxyAuth.resumeAsking()
      return app.refresh(accountId)
    },
    getState: async () => forWindow(app.state()),
    exportCsv: async (query) => exportFile(host, await app.csv(query), historyCsvFile(query.range)),
    exportSeatHolders: async (accountId) => {
      const { csv, fileName } = app.seatHoldersExport(accountId)
      return exportFile(host, csv, { title: 'Export seat holders', fileName })
    },
    openLink: (link) => host.openLink(link),
    openSeatHolderPage: async (target) => {
      await host.openCrmPage(app.seatHoldersLink(target))
    },
    getAbout: () => host.desktop.getAbout(),
    copyDiagnostics: () => host.desktop.copyDiagnostics(),
    getUpdate: () => host.desktop.getUpdate(),
    restartToUpdate: () => host.desktop.restartToUpdate(),
    quit: async () => host.quit(),
    answerProxyAuth: (answer) => {
      if ('password' in answer) host.secretSeen?.(answer.password)
      return proxyAuth.answer(answer)
    },
  }

  return {
    engine: app,
    proxyAuth,
    backend,
    runTrayCommand: (command) => runTrayCommand(command, app, proxyAuth, host),
    async start() {
      // Before anything reads a secret: an earlier "yes" to basic_text opens the file the sign-in was kept in.
      // Should that fail, secrets stay in memory and the settings page still asks: no reason to refuse to start.
      const saved = app.currentSettings()
      await host.vault
        .acceptBasicText(saved.acceptPlainTextSecrets)
        .catch((error: unknown) => host.report('Opening the sign-in file', error))
      // The last known numbers show at once: the engine renders the tray from history before the first check.
      await app.start()
      host.applyLoginItem(saved.launchAtLogin)
      host.applyUpdates?.(saved.autoUpdate)
      host.applyTrayIcon?.(saved.trayIcon)
      if (host.demoAtStart(app.state())) await app.startDemo()
    },
  }
}

/**
 * Each engine command, forwarded as it is: a command added to the contract's SeatCommands reaches the engine with no
 * edit here. The window extras (getState, exportCsv, links, the proxy answer) are not the engine's: it has no method
 * by those names, and the backend above answers them.
 */
function forwardCommands(engine: SeatCommands): Pick<SeatsBackend, CommandMethod> {
  const forwarded: Record<string, (...args: never[]) => Promise<unknown>> = {}
  for (const name of Object.keys(INVOKE_CHANNELS)) {
    const command = (engine as unknown as Record<string, unknown>)[name]
    if (typeof command !== 'function') continue
    forwarded[name] = (...args: never[]) =>
      (command as (...a: never[]) => Promise<unknown>).apply(engine, args)
  }
  return forwarded as unknown as Pick<SeatsBackend, CommandMethod>
}

async function applySettings(host: Host, settings: Settings): Promise<void> {
  host.applyLoginItem(settings.launchAtLogin)
  host.applyUpdates?.(settings.autoUpdate)
  host.applyTrayIcon?.(settings.trayIcon)
  await host.vault.acceptBasicText(settings.acceptPlainTextSecrets)
}

/**
 * Every CSV export (history, seat holders): the host's save dialog and write, with a disk that refuses said in its
 * own words ("the disk is full") for the window to show at the button, rather than as a failed command.
 */
async function exportFile(host: Host, csv: string, file: CsvFile): Promise<ExportOutcome> {
  try {
    return await host.saveCsv(csv, file)
  } catch (error) {
    if (error instanceof DiskWriteError) return { saved: false, problem: error.problem.message }
    throw error
  }
}

function runTrayCommand(command: TrayCommand, engine: SeatTray, proxyAuth: ProxyAuth, host: Host): void {
  const report = (error: unknown) => host.report(`Tray command ${command.kind}`, error)
  switch (command.kind) {
    case 'open':
    case 'sign-in':
      // Sign-in needs a data center, which the window asks for.
      host.window.show()
      break
    case 'settings':
      host.window.show({ view: 'settings' })
      break
    case 'about':
      host.window.show({ view: 'about' })
      break
    case 'show-account':
      host.window.show({ accountId: command.accountId })
      break
    case 'refresh':
      proxyAuth.resumeAsking()
      engine.refresh().catch(report)
      break
    case 'snooze':
      engine.snooze(command.choice).catch(report)
      break
    case 'sign-out':
      engine.signOut(command.accountId).catch(report)
      break
    case 'quit':
      host.quit()
      break
  }
}
