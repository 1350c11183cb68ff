/**
 * A SeatsApi for the window's browser tests, injected before the page loads (page.addInitScript). Typed as
 * `SeatsApi` so it cannot drift from the contract. It records every call, lets a test push states, and can hold a
 * refresh open so the test sees the progress before the result.
 *
 * `installFakeSeats` runs inside the page: it must not use anything from outside its own body.
 */

import type {
  ExportOutcome,
  ProxyAuthRequest,
  SeatsApi,
  SettingsView,
  WindowDestination,
} from '../../common/contract'
import type { AppState, HistoryRange, HistorySeries, SeatHoldersAnswer } from '../../common/model'

export interface FakeScenario {
  state: AppState
  settings: SettingsView
  history: Record<HistoryRange, HistorySeries>
  /** Keep `refresh()` pending until the test calls `__fake.releaseRefresh()`. */
  holdRefresh: boolean
  /** The state main pushes when a refresh ends; null keeps the state, marking a fresh check. */
  afterRefresh: AppState | null
  exportResult: ExportOutcome
  /** What "Export list…" (exportSeatHolders) answers: saved, cancelled, or the disk's refusal. */
  exportHoldersResult: ExportOutcome
  /** What getSeatHolders answers; 'fail' rejects, as main does when Zoho cannot be read. */
  seatHolders: SeatHoldersAnswer | 'fail'
  /** What it answers once a seat price is saved (the engine prices the list it holds); null: the same as without. */
  pricedSeatHolders: SeatHoldersAnswer | null
  /** Keep `getSeatHolders()` pending until the test calls `__fake.releaseSeatHolders()`. */
  holdSeatHolders: boolean
}

export interface FakeCall {
  method: string
  args: unknown[]
}

export interface FakeControls {
  calls: FakeCall[]
  push(state: AppState): void
  /** Main opens the window somewhere (a notification or a tray menu item was clicked). */
  show(to: WindowDestination): void
  releaseRefresh(): void
  releaseSeatHolders(): void
  /** Change what the next getSeatHolders answers (the person allowed the scope, or Zoho came back). */
  setSeatHolders(answer: SeatHoldersAnswer | 'fail'): void
  /** Main asks for the office proxy's username and password. */
  askProxyAuth(request: ProxyAuthRequest): void
  /** Change what the next "Export list…" answers (a cancel, a full disk). */
  setExportHoldersResult(outcome: ExportOutcome): void
}

declare global {
  interface Window {
    __fake?: FakeControls
  }
}

export function installFakeSeats(scenario: FakeScenario): void {
  const calls: FakeCall[] = []
  const stateListeners = new Set<(state: AppState) => void>()
  const showListeners = new Set<(to: WindowDestination) => void>()
  const proxyListeners = new Set<(request: ProxyAuthRequest) => void>()
  let state = scenario.state
  // Settings survive a reload within the test, like main's store does.
  const stored = sessionStorage.getItem('fake-settings')
  let settings: SettingsView = stored ? JSON.parse(stored) : scenario.settings
  let release: (() => void) | null = null
  let releaseHolders: (() => void) | null = null
  let seatHolders = scenario.seatHolders
  let exportHoldersResult = scenario.exportHoldersResult

  const record = (method: string, args: unknown[]) =>
    calls.push({ method, args: JSON.parse(JSON.stringify(args)) })
  const push = (next: AppState) => {
    state = next
    for (const listener of stateListeners) listener(next)
  }
  const saveSettings = (next: SettingsView) => {
    settings = next
    sessionStorage.setItem('fake-settings', JSON.stringify(next))
    return structuredClone(next)
  }

  const api: SeatsApi = {
    async getState() {
      record('getState', [])
      return structuredClone(state)
    },
    onState(listener) {
      stateListeners.add(listener)
      return () => stateListeners.delete(listener)
    },
    onShow(listener) {
      showListeners.add(listener)
      return () => showListeners.delete(listener)
    },
    async refresh(accountId) {
      record('refresh', [accountId])
      const mark = (refreshing: boolean) =>
        push({
          ...state,
          accounts: state.accounts.map((a) =>
            accountId === undefined || a.id === accountId
              ? {
                  ...a,
                  refreshing,
                  ...(refreshing ? {} : { lastAttemptAt: Date.now(), lastGoodAt: Date.now() }),
                }
              : a,
          ),
        })
      mark(true)
      if (scenario.holdRefresh) await new Promise<void>((resolve) => (release = resolve))
      if (scenario.afterRefresh) push(scenario.afterRefresh)
      else mark(false)
    },
    async signIn(request) {
      record('signIn', [request])
    },
    async cancelSignIn() {
      record('cancelSignIn', [])
    },
    async signOut(accountId) {
      record('signOut', [accountId])
    },
    async startDemo() {
      record('startDemo', [])
    },
    async openSeatHolderPage(target) {
      record('openSeatHolderPage', [target])
    },
    async getSeatHolders(accountId) {
      record('getSeatHolders', [accountId])
      if (scenario.holdSeatHolders) await new Promise<void>((resolve) => (releaseHolders = resolve))
      if (seatHolders === 'fail') throw new Error('Zoho did not answer')
      return structuredClone(
        settings.seatPrice && scenario.pricedSeatHolders ? scenario.pricedSeatHolders : seatHolders,
      )
    },
    async exportSeatHolders(accountId) {
      record('exportSeatHolders', [accountId])
      return structuredClone(exportHoldersResult)
    },
    async getHistory(query) {
      record('getHistory', [query])
      const series = scenario.history[query.range]
      return structuredClone({ ...series, accountId: query.accountId })
    },
    async exportCsv(query) {
      record('exportCsv', [query])
      return scenario.exportResult
    },
    async getSettings() {
      record('getSettings', [])
      return structuredClone(settings)
    },
    async updateSettings(patch) {
      record('updateSettings', [patch])
      const next = { ...settings, ...patch, notify: { ...settings.notify, ...patch.notify } }
      // Like main: where only basic_text is on offer, the answer switches the store at once.
      const fixedKeyOnly = settings.vaultNeedsConsent || settings.vaultBackend === 'safe-storage-basic-text'
      if (fixedKeyOnly && patch.acceptPlainTextSecrets !== undefined) {
        next.vaultBackend = patch.acceptPlainTextSecrets ? 'safe-storage-basic-text' : 'memory'
        next.vaultNeedsConsent = !patch.acceptPlainTextSecrets
      }
      return saveSettings(next)
    },
    async setClient(client) {
      record('setClient', [{ clientId: client.clientId, secretLength: client.clientSecret.length }])
      return saveSettings({
        ...settings,
        clientId: client.clientId,
        hasClientSecret: true,
        clientConfigured: true,
      })
    },
    async snooze(choice) {
      record('snooze', [choice])
      // The engine picks the time (core/snooze.ts, tested there); the fake only needs one the window can show.
      const morning = new Date(Date.now() + 86_400_000).setHours(8, 0, 0, 0)
      const until = { hour: Date.now() + 3_600_000, tomorrow: morning }
      push({ ...state, snoozedUntil: choice === null ? null : until[choice] })
    },
    async openLink(link) {
      record('openLink', [link])
    },
    onProxyAuth(listener) {
      proxyListeners.add(listener)
      return () => proxyListeners.delete(listener)
    },
    async answerProxyAuth(answer) {
      record('answerProxyAuth', [answer])
    },
    async getAbout() {
      record('getAbout', [])
      return {
        version: '0.1.0',
        electron: '45.5.0',
        chromium: '142.0.7444.59',
        node: '22.20.0',
        os: 'Linux 6.1',
        dataCenters: state.accounts.map((a) => a.dataCenter),
        dataFolder: '/home/ana/.config/seat-tray',
        logFile: '/home/ana/.config/seat-tray/logs/main.log',
      }
    },
    async copyDiagnostics() {
      record('copyDiagnostics', [])
      return { characters: 1234 }
    },
    async getUpdate() {
      record('getUpdate', [])
      return { line: null, canRestart: false }
    },
    async restartToUpdate() {
      record('restartToUpdate', [])
    },
    onUpdate() {
      return () => true
    },
    async quit() {
      record('quit', [])
    },
  }

  window.seats = api
  window.__fake = {
    calls,
    push,
    show: (to) => {
      for (const listener of showListeners) listener(to)
    },
    releaseRefresh: () => release?.(),
    releaseSeatHolders: () => releaseHolders?.(),
    setSeatHolders: (answer) => {
      seatHolders = answer
    },
    askProxyAuth: (request) => {
      for (const listener of proxyListeners) listener(request)
    },
    setExportHoldersResult: (outcome) => {
      exportHoldersResult = outcome
    },
  }
}
