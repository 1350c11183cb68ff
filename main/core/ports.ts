/**
 * The small interfaces the engine depends on. Electron implements them in main/platform; tests, the CLI and the
 * headless runtime implement them in plain Node. Nothing here may mention electron.
 */
import type { VaultBackend } from '../../common/contract'
import type { AccountId, AppState, Tone } from '../../common/model'
import type { Settings } from '../../common/settings'
import type { TrayMenuEntry } from './tray-menu'
import type { HostPolicy } from './zoho/datacenters'

/** A `fetch`-shaped function: Node's fetch in tests and the CLI, Electron's `net.fetch` (system proxy, PAC) in the app. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>

export type TimerHandle = { readonly __timer: unique symbol } | object | number

/** Time, injectable so tests run in virtual time. */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const t = setTimeout(callback, ms)
    // A pending check must not keep a CLI or a test process alive.
    if (typeof t === 'object' && 'unref' in t) t.unref()
    return t
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** What the settings page says about where secrets are kept, beyond the backend's name. */
export interface VaultStatus {
  /** Only safeStorage's basic_text (a fixed key) is on offer and the person has not accepted it: memory only. */
  needsConsent: boolean
  /** Why the keychain is not used, in plain words; null when it is. */
  unavailableReason: string | null
}

/** Secrets (refresh tokens, the client secret), keyed by a name such as `refresh:<accountId>`. */
export interface SecretVault {
  readonly backend: VaultBackend
  get(key: string): Promise<string | null>
  set(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

export type AlertKind = 'out' | 'low' | 'freed' | 'sign-in' | 'renewal'

/** A desktop notification the core decided to show. */
export interface Notice {
  kind: AlertKind
  accountId: AccountId | null
  title: string
  body: string
}

export interface Notifier {
  show(notice: Notice): void
}

/** What the tray shows: derived by core/tray-model from the app state. The tray renders it as given. */
export interface TrayModel {
  /** `0`…`99`, `99+`, or a symbol for no number (`!`, `?`, `–`). */
  badge: string
  tone: Tone
  /** Full breakdown, one account per line, with the time of the last good check. */
  tooltip: string
  /** One line per account for the context menu. */
  accountLines: string[]
  /** The context menu, built from the same state as the lines above (core/tray-menu.ts). */
  menu: TrayMenuEntry[]
}

export interface TrayView {
  render(model: TrayModel): void
}

/** Something that shows Zoho's sign-in page and hands back the redirect it ends on. */
export interface AuthBrowser {
  /**
   * Open `url` and resolve with the full redirect URL once the browser is sent to `redirectUri`
   * (matched by exact origin and path). Reject with a SeatTrayError 'sign-in-cancelled' when the person closes it,
   * or when `signal` aborts. `hostPolicy` is this sign-in's own (frozen): the demo's loopback allowance goes only
   * to the demo's sign-in, never to a real one started while the demo runs.
   */
  authorize(request: AuthRequest): Promise<string>
}

export interface AuthRequest {
  url: string
  redirectUri: string
  signal: AbortSignal
  /** Which pages this sign-in may show and which servers it may trust. */
  hostPolicy: Readonly<HostPolicy>
}

/** Pushes state to whoever shows it (the window over IPC, a test recorder). */
export interface StateSink {
  publish(state: AppState): void
}

/** Where settings live (electron-store in the app, a JSON file in tests). The rules are in core/settings.ts. */
export interface SettingsStore {
  /** Never throws: a corrupt store is backed up and defaults are returned with a notice for the person. */
  load(): { settings: Settings; notice?: string }
  save(settings: Settings): void
}
