/**
 * When Seat Tray checks for, downloads, announces and installs an update: the whole decision table, as a pure
 * function (`decide`) from the current state and one event to the next state and the effects to run, plus a small
 * runner (`UpdateController`) that runs those effects against a Clock and an UpdateSource. The Electron side
 * (main/platform/updater.ts, electron-updater) only answers "is there a newer version", "download it" and
 * "install it": it decides nothing.
 *
 * The rules, in order of precedence:
 *  - Off when the person turned updates off, when the build says so, when a package manager owns the install
 *    (deb, rpm, pacman, snap, flatpak: it updates the app, and an app overwriting its own package breaks it), when
 *    the install cannot update itself (a Linux folder or tarball, a Windows portable exe), and in a copy run from
 *    source.
 *  - Check once shortly after start (not at the very start: the first seat check goes first), then every 24 h.
 *  - An update found is downloaded in the background at once; when it is complete the person is told once (a
 *    notification and a line in the window) and it installs when the app quits, or now on "Restart now".
 *  - A failed check or download is retried with a growing delay (30 min, 1 h, 2 h, … capped at the daily
 *    interval), silently: a missing update server must never nag the person nor hammer the server.
 *  - One check at a time; a "check now" during a check or a download joins it.
 */
import type { Clock, TimerHandle } from './ports'

/** How the app was installed, which decides who updates it. */
export type InstallKind =
  | 'appimage'
  | 'deb'
  | 'rpm'
  | 'pacman'
  | 'snap'
  | 'flatpak'
  | 'linux-dir'
  | 'nsis'
  | 'portable'
  | 'mac'
  | 'unpackaged'

/** Why updates are off. */
export type UpdatesOffReason = 'setting' | 'build' | 'package-manager' | 'cannot-self-update' | 'unpackaged'

export interface UpdatePolicy {
  /** The person's setting (on by default). */
  enabledBySetting: boolean
  /** The build allows updates (SEAT_TRAY_UPDATES was not `off` and a feed URL was configured at build time). */
  enabledByBuild: boolean
  install: InstallKind
}

export const UPDATE_TIMING = {
  /** After start: the first seat check and the window come first. */
  firstCheckMs: 60_000,
  /** Then once a day. */
  intervalMs: 24 * 3_600_000,
  /** After the first failure; doubled after each one that follows, up to the daily interval. */
  firstRetryMs: 30 * 60_000,
} as const

const PACKAGE_MANAGED: ReadonlySet<InstallKind> = new Set(['deb', 'rpm', 'pacman', 'snap', 'flatpak'])
const CANNOT_SELF_UPDATE: ReadonlySet<InstallKind> = new Set(['linux-dir', 'portable'])

/** Null when updates are on; else the first reason they are off. */
export function updatesOffReason(policy: UpdatePolicy): UpdatesOffReason | null {
  if (policy.install === 'unpackaged') return 'unpackaged'
  if (!policy.enabledByBuild) return 'build'
  if (PACKAGE_MANAGED.has(policy.install)) return 'package-manager'
  if (CANNOT_SELF_UPDATE.has(policy.install)) return 'cannot-self-update'
  if (!policy.enabledBySetting) return 'setting'
  return null
}

/**
 * How the app was installed, from what the process can see. `packageType` is the content of
 * `resources/package-type`, which electron-builder writes into deb, rpm and pacman packages.
 */
export function installKindOf(facts: {
  platform: NodeJS.Platform
  isPackaged: boolean
  env: Readonly<Record<string, string | undefined>>
  packageType: string | null
}): InstallKind {
  if (!facts.isPackaged) return 'unpackaged'
  if (facts.platform === 'darwin') return 'mac'
  if (facts.platform === 'win32') return facts.env.PORTABLE_EXECUTABLE_DIR ? 'portable' : 'nsis'
  if (facts.env.SNAP) return 'snap'
  if (facts.env.FLATPAK_ID) return 'flatpak'
  const packageType = facts.packageType?.trim()
  if (packageType === 'deb' || packageType === 'rpm' || packageType === 'pacman') return packageType
  if (facts.env.APPIMAGE) return 'appimage'
  return 'linux-dir'
}

export type UpdateState =
  | { phase: 'off'; reason: UpdatesOffReason }
  /** Waiting for the next check at `nextCheckAt`; `failures` in a row so far; the last failure's message. */
  | {
      phase: 'waiting'
      nextCheckAt: number
      failures: number
      lastError: string | null
      lastCheckedAt: number | null
    }
  | { phase: 'checking'; failures: number; lastCheckedAt: number | null }
  | { phase: 'downloading'; version: string; failures: number; lastCheckedAt: number | null }
  /** Downloaded: installs on quit, or on "Restart now". Nothing more to check until then. */
  | { phase: 'ready'; version: string; lastCheckedAt: number }

export type UpdateEvent =
  | { type: 'start'; policy: UpdatePolicy }
  | { type: 'policy-changed'; policy: UpdatePolicy }
  /** The timer the last `schedule` effect set has fired. */
  | { type: 'due' }
  /** The person asked (About → Check for updates). */
  | { type: 'check-now' }
  | { type: 'checked'; newer: string | null }
  | { type: 'downloaded'; version: string }
  | { type: 'failed'; message: string }
  | { type: 'restart-now' }

export type UpdateEffect =
  | { type: 'schedule'; at: number }
  | { type: 'cancel-schedule' }
  | { type: 'check' }
  | { type: 'download' }
  | { type: 'announce'; version: string }
  | { type: 'install-on-quit'; enabled: boolean }
  | { type: 'restart-and-install' }

export const INITIAL_UPDATE_STATE: UpdateState = { phase: 'off', reason: 'unpackaged' }

/** The delay before retry number `failures` (1 = after the first failure). */
export function retryDelayMs(failures: number): number {
  const delay = UPDATE_TIMING.firstRetryMs * 2 ** Math.max(0, failures - 1)
  return Math.min(delay, UPDATE_TIMING.intervalMs)
}

/** The decision table. Pure: same state, event and time, same answer. */
export function decide(
  state: UpdateState,
  event: UpdateEvent,
  now: number,
): { state: UpdateState; effects: UpdateEffect[] } {
  const same = { state, effects: [] as UpdateEffect[] }
  const lastCheckedAt = state.phase === 'off' ? null : state.lastCheckedAt

  switch (event.type) {
    case 'start':
    case 'policy-changed': {
      const reason = updatesOffReason(event.policy)
      if (reason) {
        // Turned off: no more checks, and a downloaded update no longer installs on quit.
        return {
          state: { phase: 'off', reason },
          effects: [{ type: 'cancel-schedule' }, { type: 'install-on-quit', enabled: false }],
        }
      }
      if (state.phase !== 'off') return same // already on: keep the schedule and whatever is under way
      const at = now + UPDATE_TIMING.firstCheckMs
      return {
        state: { phase: 'waiting', nextCheckAt: at, failures: 0, lastError: null, lastCheckedAt },
        effects: [{ type: 'schedule', at }],
      }
    }

    case 'due':
    case 'check-now': {
      if (state.phase !== 'waiting') return same // off, or a check/download/ready already covers it
      return {
        state: { phase: 'checking', failures: state.failures, lastCheckedAt: state.lastCheckedAt },
        effects: [{ type: 'cancel-schedule' }, { type: 'check' }],
      }
    }

    case 'checked': {
      if (state.phase !== 'checking') return same // turned off while the check was out
      if (event.newer) {
        return {
          state: { phase: 'downloading', version: event.newer, failures: state.failures, lastCheckedAt: now },
          effects: [{ type: 'download' }],
        }
      }
      const at = now + UPDATE_TIMING.intervalMs
      return {
        state: { phase: 'waiting', nextCheckAt: at, failures: 0, lastError: null, lastCheckedAt: now },
        effects: [{ type: 'schedule', at }],
      }
    }

    case 'downloaded': {
      if (state.phase !== 'downloading') return same
      return {
        state: { phase: 'ready', version: event.version, lastCheckedAt: state.lastCheckedAt ?? now },
        effects: [
          { type: 'install-on-quit', enabled: true },
          { type: 'announce', version: event.version },
        ],
      }
    }

    case 'failed': {
      if (state.phase !== 'checking' && state.phase !== 'downloading') return same
      const failures = state.failures + 1
      const at = now + retryDelayMs(failures)
      return {
        state: { phase: 'waiting', nextCheckAt: at, failures, lastError: event.message, lastCheckedAt },
        effects: [{ type: 'schedule', at }],
      }
    }

    case 'restart-now':
      return state.phase === 'ready' ? { state, effects: [{ type: 'restart-and-install' }] } : same
  }
}

/** What the window (a line, a button) and the diagnostics report show. */
export interface UpdateView {
  phase: UpdateState['phase']
  /** One sentence for the window, or null when there is nothing worth a person's attention (a failing check). */
  line: string | null
  /** Show "Restart now". */
  canRestart: boolean
  /** For diagnostics: why updates are off, the failures in a row and the last one, the next check. */
  offReason: UpdatesOffReason | null
  failures: number
  lastError: string | null
  nextCheckAt: number | null
  lastCheckedAt: number | null
}

const OFF_LINES: Record<UpdatesOffReason, string> = {
  setting: 'Automatic updates are off (Settings).',
  build: 'This build of Seat Tray does not update itself.',
  'package-manager': 'Updates come from your package manager.',
  'cannot-self-update': 'This copy of Seat Tray cannot update itself: install it to get updates.',
  unpackaged: 'Running from source: no automatic updates.',
}

export function updateView(state: UpdateState): UpdateView {
  const base = {
    phase: state.phase,
    canRestart: false,
    offReason: null,
    failures: 0,
    lastError: null,
    nextCheckAt: null,
    lastCheckedAt: state.phase === 'off' ? null : state.lastCheckedAt,
  }
  switch (state.phase) {
    case 'off':
      return { ...base, line: OFF_LINES[state.reason], offReason: state.reason }
    case 'waiting':
      return {
        ...base,
        line: null,
        failures: state.failures,
        lastError: state.lastError,
        nextCheckAt: state.nextCheckAt,
      }
    case 'checking':
      return { ...base, line: null, failures: state.failures }
    case 'downloading':
      return {
        ...base,
        line: `Downloading Seat Tray ${state.version} in the background.`,
        failures: state.failures,
      }
    case 'ready':
      return {
        ...base,
        line: `Seat Tray ${state.version} is ready: it installs when you quit, or restart now.`,
        canRestart: true,
      }
  }
}

/** What electron-updater (or a test's feed client) does for the controller. */
export interface UpdateSource {
  /** The newer version the feed offers, or null when this one is the newest. Rejects when the feed cannot be read. */
  check(): Promise<string | null>
  /** Downloads the version the last check found; resolves with it once complete and verified. */
  download(): Promise<string>
  setInstallOnQuit(enabled: boolean): void
  /** Quits and installs the downloaded update. */
  restartAndInstall(): void
}

export interface UpdateControllerDeps {
  clock: Clock
  source: UpdateSource
  /** A downloaded update, told once: a notification. */
  announce(version: string): void
  /** Every change, for the window line and diagnostics. */
  onChange?(view: UpdateView): void
  /** Failures go to the log, not to the person. */
  log?(message: string): void
}

/** Runs the decision table: keeps the state, the one timer, and the one check or download in flight. */
export class UpdateController {
  private state: UpdateState = INITIAL_UPDATE_STATE
  private timer: TimerHandle | null = null

  constructor(private readonly deps: UpdateControllerDeps) {}

  start(policy: UpdatePolicy): void {
    this.dispatch({ type: 'start', policy })
  }

  setPolicy(policy: UpdatePolicy): void {
    this.dispatch({ type: 'policy-changed', policy })
  }

  checkNow(): void {
    this.dispatch({ type: 'check-now' })
  }

  restartNow(): void {
    this.dispatch({ type: 'restart-now' })
  }

  /** No timer left behind (a clean quit, tests). */
  stop(): void {
    this.cancelTimer()
  }

  view(): UpdateView {
    return updateView(this.state)
  }

  private dispatch(event: UpdateEvent): void {
    const next = decide(this.state, event, this.deps.clock.now())
    const changed = next.state !== this.state
    this.state = next.state
    for (const effect of next.effects) this.run(effect)
    if (changed) this.deps.onChange?.(this.view())
  }

  private run(effect: UpdateEffect): void {
    const { source } = this.deps
    switch (effect.type) {
      case 'schedule':
        this.cancelTimer()
        this.timer = this.deps.clock.setTimeout(
          () => {
            this.timer = null
            this.dispatch({ type: 'due' })
          },
          Math.max(0, effect.at - this.deps.clock.now()),
        )
        break
      case 'cancel-schedule':
        this.cancelTimer()
        break
      case 'check':
        source.check().then(
          (newer) => this.dispatch({ type: 'checked', newer }),
          (error: unknown) => this.fail('check', error),
        )
        break
      case 'download':
        source.download().then(
          (version) => this.dispatch({ type: 'downloaded', version }),
          (error: unknown) => this.fail('download', error),
        )
        break
      case 'announce':
        this.deps.announce(effect.version)
        break
      case 'install-on-quit':
        source.setInstallOnQuit(effect.enabled)
        break
      case 'restart-and-install':
        source.restartAndInstall()
        break
    }
  }

  private fail(step: 'check' | 'download', error: unknown): void {
    const message = `Update ${step} failed: ${error instanceof Error ? error.message : String(error)}`
    this.deps.log?.(message)
    this.dispatch({ type: 'failed', message })
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer)
    this.timer = null
  }
}
