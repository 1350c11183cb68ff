/**
 * The composition root: Electron's adapters (platform/electron-host.ts) handed to the one wiring
 * (platform/wiring.ts), and the OS wired to it. Nothing here decides; each part it names has a room under main/platform.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, clipboard, dialog, ipcMain, net, powerMonitor, session } from 'electron'
import type { ZohoClient } from './core/zoho/oauth'
import { startSimulator } from './demo/simulator'
import { createShell } from './platform/app-shell'
import { e2eEnabled, exposeToE2e, readE2eZoho } from './platform/e2e-hooks'
import { electronHost, openDesktopAndVault } from './platform/electron-host'
import { registerIpc } from './platform/ipc'
import { holdSingleInstance, stopBeforeQuit } from './platform/lifecycle'
import { watchPower } from './platform/power'
import { answerProxyLogins } from './platform/proxy-auth'
import { hardenAfterReady, hardenBeforeReady } from './platform/security'
import { hasTrayHost } from './platform/tray'
import { type Wired, wireSeatTray } from './platform/wiring'

/** A Zoho client baked in at build time (SEAT_TRAY_ZOHO_CLIENT_ID/SECRET, see electron.vite.config.ts), or null. */
declare const __SEAT_TRAY_BUILD_CLIENT__: ZohoClient | null
const buildClient = typeof __SEAT_TRAY_BUILD_CLIENT__ === 'undefined' ? null : __SEAT_TRAY_BUILD_CLIENT__

const here = fileURLToPath(new URL('.', import.meta.url))
const DEV_SERVER = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const report = (what: string, error: unknown) => console.error(`${what} failed:`, error)

// Before ready: the sandbox, the app:// scheme and the navigation rules must be in place before any window exists.
hardenBeforeReady(app)
if (process.platform === 'win32') app.setAppUserModelId('com.seattray.app')
const e2e = e2eEnabled(app)
const e2eZoho = e2e ? readE2eZoho(app) : null
let wired: Wired | null = null
let showWindow = () => {}

if (holdSingleInstance(app, () => showWindow())) {
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      report('Starting Seat Tray', error)
      app.exit(1)
    })
}

async function start(): Promise<void> {
  if (process.platform === 'darwin') app.dock?.hide()
  hardenAfterReady(session.defaultSession, join(here, '../renderer'))
  const dataDir = app.getPath('userData')
  let stop = async () => {}
  const isQuitting = stopBeforeQuit(app, () => stop(), report)
  const trayHost = await hasTrayHost()
  const shell = createShell({
    app,
    dialog,
    preload: join(here, '../preload/index.cjs'),
    ...(DEV_SERVER ? { devServer: DEV_SERVER } : {}),
    trayHost,
    isQuitting,
    onTrayCommand: (command) => wired?.runTrayCommand(command),
    onWindowLoaded: () => shell.pushProxyQuestions(wired?.proxyAuth.pending() ?? []),
  })
  showWindow = () => shell.window.show()
  const engine = () => wired?.engine ?? null
  const { desktop, vault } = await openDesktopAndVault({ app, clipboard, dataDir, shell, engine })
  const e2eAccountsServer = e2eZoho?.accountsServer ?? null
  const host = electronHost({
    app,
    net,
    dataDir,
    vault,
    shell,
    desktop,
    e2eAccountsServer,
    report,
    startSimulator: () => startSimulator({ scenario: 'demo' }),
    buildClient: e2eZoho?.client ?? buildClient,
  })
  const seats = wireSeatTray(host)
  wired = seats
  const trust = { webContentsIds: new Set([shell.popup.window.webContents.id]), devServer: DEV_SERVER }
  const undo = [answerProxyLogins(app, seats.proxyAuth), registerIpc(ipcMain, seats.backend, trust)]
  await seats.start()
  undo.push(watchPower(seats.engine, { powerMonitor, isOnline: () => net.isOnline() }))
  if (!trayHost) showWindow()
  if (e2e) exposeToE2e(shell, seats.engine, host.simulator)
  // Finish cleanly before quitting: no timers left, history and memory flushed, the simulator closed.
  stop = async () => {
    for (const step of undo) step()
    desktop.stop()
    await seats.engine.stop().finally(() => shell.destroy())
  }
}
