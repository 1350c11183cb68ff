/**
 * What makes Seat Tray behave like an installed desktop app (issue 13), put together in one place so the
 * composition root wires it with a few lines: the redacted log file, the journal of problems and notices (to the
 * log, with timestamps, and into diagnostics), updates (the engine's decision table over electron-updater), the
 * About facts and "Copy diagnostics". Decisions live in main/core (updates, diagnostics, redact); this file only
 * connects them to Electron.
 */
import { existsSync, readFileSync } from 'node:fs'
import { arch, version as osVersion, release, type } from 'node:os'
import { join } from 'node:path'
import type { App, Clipboard } from 'electron'
import electronLog from 'electron-log/main'
import electronUpdater from 'electron-updater'
import type { AboutInfo, UpdateLine } from '../../common/contract'
import type { AppState } from '../../common/model'
import { diagnosticsReport, ProblemJournal } from '../core/diagnostics'
import type { Clock, SecretVault } from '../core/ports'
import { Redactor, redactingVault } from '../core/redact'
import { UpdateController, type UpdatePolicy, type UpdateSource, type UpdateView } from '../core/updates'
import { version } from '../core/version'
import type { DesktopBackend } from './ipc'
import { type AppLog, configureLog } from './log'
import { detectInstallKind, electronUpdaterSource, type UpdaterLike } from './updater'

/** SEAT_TRAY_UPDATES=off at build time (electron.vite.config.ts). */
declare const __SEAT_TRAY_UPDATES__: boolean

/** electron-builder.yml's placeholder server: a build nobody pointed at a real one does not look for updates. */
export const UNCONFIGURED_UPDATE_HOST = 'updates.seat-tray.invalid'

export interface DesktopServicesDeps {
  app: Pick<App, 'isPackaged'>
  clock: Clock
  dataDir: string
  clipboard: Pick<Clipboard, 'writeText'>
  /** The engine's current state and settings (no secrets), for About and diagnostics. */
  state(): AppState
  settings(): Promise<object>
  vaultBackend(): string
  /** A downloaded update: tell the person (a notification) and show the window line. */
  announceUpdate(version: string): void
  onUpdate(line: UpdateLine): void
}

export interface DesktopServices {
  log: AppLog
  /** The vault, telling the redactor every secret it stores or hands out. */
  guardVault<V extends SecretVault>(vault: V): V
  /** A secret that never passes the vault (a proxy password not remembered): never logged. */
  redactSecret(value: string): void
  /** Every published state: new problems and notices go to the log and the journal. */
  observe(state: AppState): void
  backend: DesktopBackend
  /** The person's "Check for updates" setting changed. */
  setUpdatesEnabled(enabled: boolean): void
  stop(): void
}

export async function startDesktopServices(deps: DesktopServicesDeps): Promise<DesktopServices> {
  const redactor = new Redactor()
  const log = configureLog(electronLog, { redactor, captureConsole: true })
  const journal = new ProblemJournal()
  const install = detectInstallKind(deps.app.isPackaged)
  let updatesView: UpdateView | null = null

  // An updater that cannot load must not keep Seat Tray from starting: updates are then off, and the log says why.
  let updater: UpdaterLike | null = null
  try {
    // electron-updater picks its updater for this OS and package (AppImage, deb, rpm, NSIS, macOS) on first use.
    updater = electronUpdater.autoUpdater
  } catch (error) {
    log.error('The updater could not load; updates are off:', error)
  }
  const controller = new UpdateController({
    clock: deps.clock,
    source: updater ? electronUpdaterSource(updater, log) : NO_UPDATER,
    announce: (newVersion) => deps.announceUpdate(newVersion),
    onChange: (view) => {
      updatesView = view
      deps.onUpdate(lineOf(view))
    },
    log: (line) => log.warn(line),
  })
  // The person's setting arrives through setUpdatesEnabled (on by default).
  let policy: UpdatePolicy = {
    enabledBySetting: true,
    enabledByBuild: updater !== null && buildAllowsUpdates(),
    install,
  }
  controller.start(policy)
  log.info(`Seat Tray ${version()} started (${install}); updates: ${controller.view().phase}`)

  const about = (): AboutInfo => ({
    version: version(),
    electron: process.versions.electron ?? null,
    chromium: process.versions.chrome ?? null,
    node: process.versions.node,
    os: `${type()} ${release()} ${arch()}`,
    dataCenters: deps.state().accounts.map((account) => account.dataCenter),
    dataFolder: deps.dataDir,
    logFile: safeLogFile(log),
  })

  return {
    log,
    guardVault: (vault) => redactingVault(vault, redactor),
    redactSecret: (value) => redactor.addSecret(value),
    observe(state) {
      for (const line of journal.observe(state, deps.clock.now())) log.info(line)
    },
    backend: {
      getAbout: async () => about(),
      copyDiagnostics: async () => {
        const report = diagnosticsReport(
          {
            now: deps.clock.now(),
            appVersion: version(),
            versions: process.versions,
            os: { platform: process.platform, release: release(), arch: arch(), version: osVersion() },
            install,
            dataDir: deps.dataDir,
            logFile: safeLogFile(log),
            state: deps.state(),
            settings: await deps.settings(),
            vaultBackend: deps.vaultBackend(),
            updates: updatesView ?? controller.view(),
            journal: journal.recent(),
          },
          redactor,
        )
        deps.clipboard.writeText(report)
        return { characters: report.length }
      },
      getUpdate: async () => lineOf(controller.view()),
      restartToUpdate: async () => controller.restartNow(),
    },
    setUpdatesEnabled(enabled) {
      policy = { ...policy, enabledBySetting: enabled }
      controller.setPolicy(policy)
    },
    stop: () => controller.stop(),
  }
}

/** Never used: with no updater the policy is off by build, so the controller asks nothing of it. */
const NO_UPDATER: UpdateSource = {
  check: () => Promise.reject(new Error('no updater')),
  download: () => Promise.reject(new Error('no updater')),
  setInstallOnQuit: () => {},
  restartAndInstall: () => {},
}

function lineOf(view: UpdateView): UpdateLine {
  return { line: view.line, canRestart: view.canRestart }
}

/** The build allows updates: not built with SEAT_TRAY_UPDATES=off, and packaged with a real update server. */
function buildAllowsUpdates(): boolean {
  if (typeof __SEAT_TRAY_UPDATES__ !== 'undefined' && !__SEAT_TRAY_UPDATES__) return false
  const file = join(process.resourcesPath ?? '', 'app-update.yml')
  if (!existsSync(file)) return false
  const url = /^url:\s*(\S+)/m.exec(readFileSync(file, 'utf8'))?.[1] ?? ''
  return url !== '' && !url.includes(UNCONFIGURED_UPDATE_HOST)
}

function safeLogFile(log: AppLog): string | null {
  try {
    return log.file()
  } catch {
    return null
  }
}
