/**
 * Electron's adapters for the one wiring (wiring.ts): Chromium's network stack, electron-store, the keychain vault,
 * the shell's tray, window and notifications, the sign-in window and the system browser. The test host hands the
 * same wiring Node's and Chromium's.
 */
import { join } from 'node:path'
import type { App, Clipboard, Net } from 'electron'
import { type AppState, EMPTY_APP_STATE } from '../../common/model'
import type { DemoEndpoints } from '../core/app'
import { systemClock } from '../core/ports'
import type { HostPolicy } from '../core/zoho/datacenters'
import type { ZohoClient } from '../core/zoho/oauth'
import type { Shell } from './app-shell'
import { AuthWindowBrowser } from './auth-window'
import { SystemBrowserAuth } from './browser-auth'
import { type DesktopServices, startDesktopServices } from './desktop-services'
import { ElectronSettingsStore } from './electron-settings-store'
import { openAuthorizationPage, openExternal, openHelpLink } from './external'
import { applyLoginItem } from './lifecycle'
import { proxyAwareFetch } from './proxy-auth'
import { safeStorageCipher } from './safe-storage-cipher'
import { openVault } from './vault'
import type { Host, HostVault } from './wiring'

/**
 * The log file, updates, About and diagnostics, then the vault guarded by them (its secrets redacted from the log
 * from the first read). basic_text is refused until the person's saved answer is read (the wiring's start applies it).
 */
export async function openDesktopAndVault(o: {
  app: App
  clipboard: Pick<Clipboard, 'writeText'>
  dataDir: string
  shell: Shell
  engine: () => { state(): AppState; getSettings(): Promise<object> } | null
}): Promise<{ desktop: DesktopServices; vault: HostVault }> {
  const desktop = await startDesktopServices({
    app: o.app,
    clock: systemClock,
    dataDir: o.dataDir,
    clipboard: o.clipboard,
    state: () => o.engine()?.state() ?? EMPTY_APP_STATE,
    settings: async () => (await o.engine()?.getSettings()) ?? {},
    vaultBackend: () => vault.backend,
    announceUpdate: (version) => o.shell.announceUpdate(version),
    onUpdate: (line) => o.shell.pushUpdate(line),
  })
  const file = join(o.dataDir, 'secrets.bin')
  const vault = desktop.guardVault(
    await openVault({ file, cipher: safeStorageCipher(), acceptBasicText: false }),
  )
  return { desktop, vault }
}

export interface ElectronHostParts {
  app: App
  net: Pick<Net, 'request'>
  dataDir: string
  vault: HostVault
  shell: Shell
  desktop: DesktopServices
  buildClient: ZohoClient | null
  /** Starts the built-in Zoho simulator for the demo (main/demo: the composition root hands it in). */
  startSimulator: () => Promise<DemoEndpoints>
  /** The E2E suite's own simulator: loopback allowed, sign-in starts there, no demo. */
  e2eAccountsServer: string | null
  report(what: string, error: unknown): void
}

export function electronHost(p: ElectronHostParts): Host & { simulator(): DemoEndpoints | null } {
  let simulator: DemoEndpoints | null = null
  // Each sign-in carries its own policy: the demo's loopback allowance never reaches a real sign-in.
  const hostPolicy: HostPolicy = Object.freeze({ allowLoopback: p.e2eAccountsServer !== null })
  return {
    clock: systemClock,
    dataDir: p.dataDir,
    vault: p.vault,
    settings: new ElectronSettingsStore(p.dataDir),
    // Chromium's network stack (system proxy, PAC, NTLM/Kerberos, OS certificates), through net.request so a
    // Basic/Digest proxy challenge reaches us (net.fetch never lets one: proxy-auth.ts).
    fetch: (proxyAuth) => proxyAwareFetch(p.net, proxyAuth),
    notifier: p.shell.notifier,
    tray: p.shell.tray,
    sink: {
      publish(state) {
        p.desktop.observe(state)
        p.shell.sink.publish(state)
      },
    },
    window: p.shell.window,
    authBrowser: new AuthWindowBrowser({}),
    systemBrowser: new SystemBrowserAuth({ open: (url, policy) => openAuthorizationPage(url, policy) }),
    buildClient: p.buildClient,
    hostPolicy,
    ...(p.e2eAccountsServer ? { signInServerOverride: p.e2eAccountsServer } : {}),
    async demo() {
      const sim = await p.startSimulator()
      simulator = sim
      const close = async () => {
        simulator = null
        await sim.close()
      }
      return { ...sim, close }
    },
    demoAtStart: (state) =>
      p.e2eAccountsServer === null &&
      (process.env.SEAT_TRAY_DEMO === '1' || (!state.clientConfigured && state.accounts.length === 0)),
    forWindow: p.shell.forWindow,
    saveCsv: p.shell.saveCsv,
    openLink: openHelpLink,
    openCrmPage: openExternal,
    applyLoginItem: (on) => applyLoginItem(p.app, on),
    applyUpdates: (on) => p.desktop.setUpdatesEnabled(on),
    applyTrayIcon: (style) => p.shell.trayIcon.setStyle(style),
    desktop: p.desktop.backend,
    secretSeen: (value) => p.desktop.redactSecret(value),
    quit: () => p.app.quit(),
    report: p.report,
    simulator: () => simulator,
  }
}
