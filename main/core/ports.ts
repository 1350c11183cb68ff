/**
 * The small interfaces the engine depends on. Electron implements them in main/platform; tests, the CLI and the
 * headless runtime implement them in plain Node. Nothing here may mention electron.
 */
import type { VaultBackend, WindowDestination } from '../../common/contract'
import type { AccountId, AppState, Tone } from '../../common/model'
import type { Settings } from '../../common/settings'
import type { TrayMenuEntry } from './tray-menu'
import type { HostPolicy } from './zoho/datacenters'

/** A `fetch`-shaped function: Node's fetch in tests and the CLI, Electron's `net.fetch` (system proxy, PAC) in the app. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>

export type TimerHandle = { readonly __timer: unique symbol } | object | number

/** Time, injectable so tests run in virtual time. */
export interface Clock {
  /** Wall-clock time (ms since the epoch): for timestamps a person reads. The person or NTP may move it. */
  now(): number
  /**
   * A clock that only ever moves forward at a steady rate (ms, from an arbitrary origin): every wait is measured
   * on it, so setting the wall clock back a day neither stretches nor skips a wait.
   */
  monotonicNow(): number
  /** Fires after `ms` of monotonic time, however long: waits beyond MAX_TIMER_MS are chained, never cut short. */
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/**
 * The longest delay a platform timer takes. Node (and Electron's main process) turn anything longer, Infinity
 * included, into 1 ms with a TimeoutOverflowWarning, which once made a month-long Retry-After a request storm.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** A platform's own one-shot timers, with the overflow above, and the monotonic clock they run on. */
export interface PlatformTimers {
  monotonicNow(): number
  set(callback: () => void, ms: number): unknown
  clear(handle: unknown): void
}

interface ChainedTimer {
  current: unknown
}

/**
 * setTimeout for any delay: a wait longer than MAX_TIMER_MS is a chain of timers of at most MAX_TIMER_MS each,
 * re-armed against the monotonic clock until the wait is over. A negative or NaN delay means "as soon as
 * possible" (as in Node); an infinite one never fires.
 */
export function setChainedTimeout(timers: PlatformTimers, callback: () => void, ms: number): TimerHandle {
  const due = timers.monotonicNow() + delayOf(ms)
  const timer: ChainedTimer = { current: undefined }
  const arm = () => {
    const left = due - timers.monotonicNow()
    timer.current =
      left > MAX_TIMER_MS ? timers.set(arm, MAX_TIMER_MS) : timers.set(callback, Math.max(0, left))
  }
  arm()
  return timer
}

/** A delay as Node reads it before its overflow rule: negative or NaN is 0 (Math.max would keep NaN). */
export function delayOf(ms: number): number {
  return Number.isNaN(ms) ? 0 : Math.max(ms, 0)
}

export function clearChainedTimeout(timers: PlatformTimers, handle: TimerHandle): void {
  if (typeof handle === 'object' && handle !== null && 'current' in handle) {
    timers.clear((handle as ChainedTimer).current)
  }
}

const nodeTimers: PlatformTimers = {
  monotonicNow: () => performance.now(),
  set: (callback, ms) => {
    const t = setTimeout(callback, ms)
    // A pending check must not keep a CLI or a test process alive.
    if (typeof t === 'object' && 'unref' in t) t.unref()
    return t
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicNow: () => performance.now(),
  setTimeout: (callback, ms) => setChainedTimeout(nodeTimers, callback, ms),
  clearTimeout: (handle) => clearChainedTimeout(nodeTimers, handle),
}

const heldTimers: PlatformTimers = {
  ...nodeTimers,
  set: (callback, ms) => setTimeout(callback, ms),
}

/**
 * The system clock for a command that is waiting on purpose (a lock, a retry, its run's budget, `watch` running
 * until told to stop): the same chained, never-overflowing timers, but they hold the process open while they wait.
 */
export const holdingClock: Clock = {
  ...systemClock,
  setTimeout: (callback, ms) => setChainedTimeout(heldTimers, callback, ms),
  clearTimeout: (handle) => clearChainedTimeout(heldTimers, handle),
}

/** Waits `ms` on `clock` (so on virtual time in tests, and never overflowing on the real one). */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms))
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

export type AlertKind = 'out' | 'low' | 'freed' | 'sign-in' | 'renewal' | 'digest'

/** A desktop notification the core decided to show. */
export interface Notice {
  kind: AlertKind
  accountId: AccountId | null
  title: string
  body: string
  /** What the person can do about it, as a button where the OS shows one; a click on the body leads there too. */
  action?: NoticeAction
}

/** A notification's one button: its label, and the view of the notice's account it opens. */
export interface NoticeAction {
  label: string
  opens: 'seat-holders'
}

/**
 * Where a click on a notice opens the window: its action's view where it has one (the body and the button lead to
 * the same place, so a click works where the OS shows no buttons), else its account; nowhere in particular for a
 * notice about no one account.
 */
export function noticeDestination(notice: Notice): WindowDestination | undefined {
  if (notice.accountId === null) return undefined
  return notice.action
    ? { accountId: notice.accountId, view: notice.action.opens }
    : { accountId: notice.accountId }
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
