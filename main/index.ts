/**
 * The composition root: the only file that knows both the engine (main/core) and Electron (main/platform).
 * It builds the Electron adapters, hands them to the app controller, and wires the OS to it: tray clicks, IPC,
 * sleep and network changes, a second launch, quitting.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, dialog, ipcMain, net, powerMonitor, session } from 'electron'
import type { AccountId, AppState } from '../common/model'
import { createSeatTray, type DemoEndpoints, type SeatTray } from './core/app'
import { systemClock } from './core/ports'
import { ProxyAuth } from './core/proxy-credentials'
import type { TrayCommand } from './core/tray-menu'
import type { HostPolicy } from './core/zoho/datacenters'
import type { ZohoClient } from './core/zoho/oauth'
import { type Simulator, startSimulator } from './demo/simulator'
import { AuthWindowBrowser } from './platform/auth-window'
import { SystemBrowserAuth } from './platform/browser-auth'
import { ElectronSettingsStore } from './platform/electron-settings-store'
import { openAuthorizationPage, openHelpLink } from './platform/external'
import { pushProxyAuth, pushShowAccount, pushState, registerIpc, type SeatsBackend } from './platform/ipc'
import { setLinuxAutostart } from './platform/linux-autostart'
import { ElectronNotifier } from './platform/notifier'
import { watchPower } from './platform/power'
import { answerProxyLogins, proxyAwareFetch } from './platform/proxy-auth'
import { safeStorageCipher } from './platform/safe-storage-cipher'
import { hardenAfterReady, hardenBeforeReady } from './platform/security'
import { createTray, hasTrayHost, NO_TRAY_HINT, type SeatTrayIcon } from './platform/tray'
import { openVault } from './platform/vault'
import { createPopupWindow, type PopupWindow } from './platform/windows'

/** A Zoho client baked in at build time (SEAT_TRAY_ZOHO_CLIENT_ID/SECRET, see electron.vite.config.ts), or null. */
declare const __SEAT_TRAY_BUILD_CLIENT__: ZohoClient | null

const here = fileURLToPath(new URL('.', import.meta.url))
const PRELOAD = join(here, '../preload/index.cjs')
const RENDERER_DIR = join(here, '../renderer')
/** Test hooks exist only in an unpackaged build started with SEAT_TRAY_E2E=1. */
const E2E = process.env.SEAT_TRAY_E2E === '1' && !app.isPackaged
const DEV_SERVER = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL

// Before ready: the sandbox, the app:// scheme and the navigation rules must be in place before any window exists.
hardenBeforeReady(app)
if (process.platform === 'win32') app.setAppUserModelId('com.seattray.app')
if (E2E && process.env.SEAT_TRAY_E2E_USER_DATA) app.setPath('userData', process.env.SEAT_TRAY_E2E_USER_DATA)

if (!app.requestSingleInstanceLock()) {
  // Another Seat Tray is running: it shows its window (second-instance below) and this one leaves.
  app.quit()
} else {
  // Closing the window must not quit: the app lives in the tray. Having any listener keeps Electron from quitting.
  app.on('window-all-closed', () => {})
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Seat Tray could not start:', error)
      app.exit(1)
    })
}

async function start(): Promise<void> {
  if (process.platform === 'darwin') app.dock?.hide()
  hardenAfterReady(session.defaultSession, RENDERER_DIR)

  const e2eZoho = E2E ? readE2eZoho() : null
  // Each sign-in carries its own host policy (core/app.ts): the demo's loopback allowance goes to the demo's sign-in
  // only, so a real sign-in started while the demo runs never shows or trusts a loopback page.
  const hostPolicy: HostPolicy = Object.freeze({ allowLoopback: e2eZoho !== null })
  const dataDir = app.getPath('userData')
  // basic_text is refused until the person's saved answer is read with the settings (applied below, before start).
  const vault = await openVault({
    file: join(dataDir, 'secrets.bin'),
    cipher: safeStorageCipher(),
    acceptBasicText: false,
  })
  const settingsStore = new ElectronSettingsStore(dataDir)
  const trayHost = await hasTrayHost()

  let quitting = false
  let seatTray: SeatTray | null = null
  let simulator: Simulator | null = null

  const popup: PopupWindow = createPopupWindow({
    preload: PRELOAD,
    ...(DEV_SERVER ? { devServer: DEV_SERVER } : {}),
    mode: trayHost ? 'popup' : 'standalone',
    isQuitting: () => quitting,
  })
  const windowContents = () => (popup.window.isDestroyed() ? null : popup.window.webContents)

  /** What the window sees: the app's state, plus the hint when the desktop has no tray to show us in. */
  const forWindow = (state: AppState): AppState =>
    trayHost ? state : { ...state, notices: [...state.notices, NO_TRAY_HINT] }

  const showWindow = (accountId?: AccountId | null) => {
    popup.show(trayBounds())
    if (accountId) pushShowAccount(windowContents(), accountId)
  }

  const trayIcon: SeatTrayIcon = createTray({
    onClick: () => popup.toggle(trayBounds()),
    onCommand: (command) => runTrayCommand(command),
  })
  function trayBounds() {
    // Only macOS and Windows report where the icon is; Linux gets a zero rectangle.
    const bounds = trayIcon.tray.getBounds()
    return bounds.width > 0 ? bounds : null
  }

  // An office proxy that wants a username and password: asked in the window, answered from the vault next time.
  const proxyAuth = new ProxyAuth({
    vault,
    clock: systemClock,
    ask: (request) => {
      showWindow()
      pushProxyAuth(windowContents(), request)
    },
    // The check that met the proxy has failed by now (20 s timeout): check again with the answer.
    onAnswered: () => {
      seatTray
        ?.refresh()
        .catch((error: unknown) => console.error('Refresh after proxy sign-in failed:', error))
    },
  })
  const stopProxyLogins = answerProxyLogins(app, proxyAuth)
  // A window that loads (or reloads) while a question is open shows it again.
  popup.window.webContents.on('did-finish-load', () => {
    for (const request of proxyAuth.pending()) pushProxyAuth(windowContents(), request)
  })

  const controller = createSeatTray({
    // Every request goes through Chromium's network stack: system proxy, PAC scripts, NTLM/Kerberos, OS
    // certificates. Not net.fetch itself: it never lets a Basic/Digest proxy challenge reach us (proxy-auth.ts).
    fetch: proxyAwareFetch(net, proxyAuth),
    clock: systemClock,
    vault,
    notifier: new ElectronNotifier({ onClick: (accountId) => showWindow(accountId) }),
    tray: {
      render: (model) => trayIcon.render(model),
    },
    sink: { publish: (state) => pushState(windowContents(), forWindow(state)) },
    authBrowser: new AuthWindowBrowser({}),
    systemBrowser: new SystemBrowserAuth({ open: (url, policy) => openAuthorizationPage(url, policy) }),
    settings: settingsStore,
    dataDir,
    buildClient: e2eZoho?.client ?? buildClient(),
    hostPolicy,
    demo: async (): Promise<DemoEndpoints> => {
      const sim = await startSimulator({ scenario: 'demo' })
      simulator = sim
      return {
        ...sim,
        close: async () => {
          simulator = null
          await sim.close()
        },
      }
    },
    ...(e2eZoho ? { signInServerOverride: e2eZoho.accountsServer } : {}),
    vaultStatus: () => vault.status(),
    onSettingsChanged: async (settings) => {
      applyLoginItem(settings.launchAtLogin)
      trayIcon.setStyle(settings.trayIcon)
      await vault.acceptBasicText(settings.acceptPlainTextSecrets)
    },
  })
  seatTray = controller
  // Before anything reads a secret: an earlier "yes" to basic_text opens the file the sign-in was kept in.
  // Should that fail, secrets stay in memory and the settings page still asks: no reason to refuse to start.
  await vault
    .acceptBasicText((await controller.getSettings()).acceptPlainTextSecrets)
    .catch((error: unknown) => console.error('The sign-in file could not be opened:', error))

  const backend: SeatsBackend = {
    getState: async () => forWindow(controller.state()),
    refresh: (accountId) => {
      // The person asked for a check: a proxy they dismissed may ask them again.
      proxyAuth.resumeAsking()
      return controller.refresh(accountId)
    },
    signIn: (request) => controller.signIn(request),
    cancelSignIn: () => controller.cancelSignIn(),
    signOut: (accountId) => controller.signOut(accountId),
    startDemo: () => controller.startDemo(),
    getHistory: (query) => controller.getHistory(query),
    exportCsv: (query) => popup.keepOpen(() => exportCsv(controller, popup, query)),
    getSettings: () => controller.getSettings(),
    updateSettings: (patch) => controller.updateSettings(patch),
    setClient: (client) => controller.setClient(client),
    snooze: (choice) => controller.snooze(choice),
    openLink: (link) => openHelpLink(link),
    answerProxyAuth: (answer) => proxyAuth.answer(answer),
  }
  const unregisterIpc = registerIpc(ipcMain, backend, {
    webContentsIds: new Set([popup.window.webContents.id]),
    ...(DEV_SERVER ? { devServer: DEV_SERVER } : {}),
  })

  // The last known numbers show at once: the controller renders the tray from history before the first check.
  await controller.start()
  const startSettings = await controller.getSettings()
  applyLoginItem(startSettings.launchAtLogin)
  trayIcon.setStyle(startSettings.trayIcon)

  const state = controller.state()
  const wantsDemo =
    process.env.SEAT_TRAY_DEMO === '1' || (!state.clientConfigured && state.accounts.length === 0)
  if (wantsDemo && !e2eZoho) await controller.startDemo()

  const stopPower = watchPower(controller, { powerMonitor, isOnline: () => net.isOnline() })
  app.on('second-instance', () => showWindow())
  if (!trayHost) showWindow()

  app.on('before-quit', (event) => {
    if (quitting) return
    // Finish cleanly first: no timers left, history and memory flushed, the simulator closed.
    quitting = true
    event.preventDefault()
    stopPower()
    stopProxyLogins()
    unregisterIpc()
    controller
      .stop()
      .catch((error: unknown) => console.error('Seat Tray did not stop cleanly:', error))
      .finally(() => {
        trayIcon.destroy()
        app.quit()
      })
  })

  if (E2E) {
    Object.assign(globalThis, {
      __seatTrayE2E: {
        tray: trayIcon.tray,
        get menu() {
          return trayIcon.menu()
        },
        app: controller,
        showWindow,
        window: popup.window,
        simulator: () => simulator,
      },
    })
  }

  function runTrayCommand(command: TrayCommand): void {
    const report = (error: unknown) => console.error(`Tray command ${command.kind} failed:`, error)
    switch (command.kind) {
      case 'open':
      case 'sign-in':
      case 'settings':
        // Sign-in needs a data center and settings need a form: both are in the window.
        showWindow()
        break
      case 'show-account':
        showWindow(command.accountId)
        break
      case 'refresh':
        proxyAuth.resumeAsking()
        controller.refresh().catch(report)
        break
      case 'snooze':
        controller.snooze(command.choice).catch(report)
        break
      case 'sign-out':
        controller.signOut(command.accountId).catch(report)
        break
      case 'quit':
        app.quit()
        break
    }
  }
}

/** Launch at login is opt-in, and only registered for an installed app (a dev build would register Electron). */
function applyLoginItem(launchAtLogin: boolean): void {
  // A development build must never register itself to start at login.
  if (!app.isPackaged) return
  if (process.platform === 'linux') {
    // Electron's login items exist on macOS and Windows only; Linux desktops read ~/.config/autostart.
    setLinuxAutostart(launchAtLogin, { execPath: process.execPath, env: process.env }).catch(() => undefined)
    return
  }
  app.setLoginItemSettings({ openAtLogin: launchAtLogin })
}

async function exportCsv(
  controller: SeatTray,
  popup: PopupWindow,
  query: Parameters<SeatTray['csv']>[0],
): Promise<{ saved: boolean; path?: string }> {
  const csv = await controller.csv(query)
  const choice = await dialog.showSaveDialog(popup.window, {
    title: 'Export seat history',
    defaultPath: join(app.getPath('documents'), `seat-history-${query.range}.csv`),
    filters: [{ name: 'CSV', extensions: ['csv'] }],
  })
  if (choice.canceled || !choice.filePath) return { saved: false }
  await writeFile(choice.filePath, csv, 'utf8')
  return { saved: true, path: choice.filePath }
}

function buildClient(): ZohoClient | null {
  return typeof __SEAT_TRAY_BUILD_CLIENT__ === 'undefined' ? null : __SEAT_TRAY_BUILD_CLIENT__
}

/** The E2E suite's simulator: `SEAT_TRAY_E2E_ZOHO={"accountsServer","clientId","clientSecret"}`. */
function readE2eZoho(): { accountsServer: string; client: ZohoClient } | null {
  const raw = process.env.SEAT_TRAY_E2E_ZOHO
  if (!raw) return null
  const parsed = JSON.parse(raw) as { accountsServer: string; clientId: string; clientSecret: string }
  return {
    accountsServer: parsed.accountsServer,
    client: { clientId: parsed.clientId, clientSecret: parsed.clientSecret },
  }
}
