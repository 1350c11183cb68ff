/**
 * The app's composition wired to Node adapters, so the whole story runs where Electron cannot:
 * a tray recorder, a notification recorder, a state recorder, settings in a temp folder, a memory vault,
 * and Debian's Chromium (driven by Playwright) as the sign-in browser.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppState } from '../../common/model'
import { type AccountRecord, DEFAULT_SETTINGS, type Settings } from '../../common/settings'
import { createSeatTray, type SeatTray, type SeatTrayDeps } from '../../main/core/app'
import { MemoryVault } from '../../main/core/memory-vault'
import { type Notice, type SettingsStore, systemClock, type TrayModel } from '../../main/core/ports'
import { ChromiumAuthBrowser } from './consent-page'

export class MemorySettings implements SettingsStore {
  saved: Settings = structuredClone(DEFAULT_SETTINGS)
  load() {
    return { settings: structuredClone(this.saved) }
  }
  save(settings: Settings) {
    this.saved = structuredClone(settings)
  }
}

export { ChromiumAuthBrowser, MemoryVault }

/** Where a signed-in account points: the simulator, or a stand-in for Zoho on loopback. */
export interface ZohoOnLoopback {
  accountsServer: string
  apiDomain: string
  refreshToken: string
}

/**
 * Settings and a vault as they are after a sign-in to `zoho`: one account (Acme Ltd, US) and its refresh token.
 * The vault is filled before this returns, so the app's first check finds the token.
 */
export async function signedInTo(
  zoho: ZohoOnLoopback,
  id = 'us-1',
  into: { settings?: MemorySettings; vault?: MemoryVault } = {},
): Promise<{ settings: MemorySettings; vault: MemoryVault; record: AccountRecord }> {
  const record: AccountRecord = {
    id,
    dataCenter: 'US',
    accountsServer: zoho.accountsServer,
    apiDomain: zoho.apiDomain,
    orgId: '1',
    orgName: 'Acme Ltd',
    addedAt: 0,
  }
  const settings = into.settings ?? new MemorySettings()
  if (settings.saved.accounts.length === 0) settings.saved.accounts = [record]
  const vault = into.vault ?? new MemoryVault()
  await vault.set(`refresh:${id}`, zoho.refreshToken)
  return { settings, vault, record }
}

export interface Headless {
  app: SeatTray
  trays: TrayModel[]
  notices: Notice[]
  states: AppState[]
  vault: MemoryVault
  settings: MemorySettings
  dataDir: string
  lastTray(): TrayModel
  dispose(): Promise<void>
}

export interface HeadlessOverrides extends Partial<Omit<SeatTrayDeps, 'vault' | 'settings'>> {
  vault?: MemoryVault
  settings?: MemorySettings
}

export function startHeadless(overrides: HeadlessOverrides = {}): Headless {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'seat-tray-headless-'))
  const trays: TrayModel[] = []
  const notices: Notice[] = []
  const states: AppState[] = []
  const vault = overrides.vault ?? new MemoryVault()
  const settings = overrides.settings ?? new MemorySettings()
  const app = createSeatTray({
    fetch: (url, init) => fetch(url, init),
    clock: systemClock,
    notifier: { show: (n) => notices.push(n) },
    tray: { render: (m) => trays.push(m) },
    sink: { publish: (s) => states.push(s) },
    authBrowser: new ChromiumAuthBrowser(),
    buildClient: null,
    hostPolicy: { allowLoopback: true },
    ...overrides,
    vault,
    settings,
    dataDir,
  })
  return {
    app,
    trays,
    notices,
    states,
    vault,
    settings,
    dataDir,
    lastTray: () => trays.at(-1)!,
    async dispose() {
      await app.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
