/**
 * When to ask Zoho, for one account. The poller owns the rhythm only — what a check does is the `check` callback.
 *
 * The rules, each of which a test pins down:
 * - The first check runs as soon as the poller starts; after that every `intervalMs()` (15 min by default),
 *   spread by ±10 % so several accounts and several machines drift apart instead of asking in lockstep.
 * - The next check is planned from when the last one ended, so checks never overlap and a slow answer or a late
 *   timer never accumulates into drift.
 * - A failure retries sooner than the interval at first and then backs off: 30 s, 1 min, 2 min … capped at 30 min.
 *   A Retry-After from Zoho is a floor: we never ask before it, whatever the backoff says, up to 6 h
 *   (LONGEST_WAIT_MS): a longer one is taken as 6 h, so no wrong value can silence the checks for days.
 * - A failure only a person can fix (sign in again, fix the client) stops the schedule once the same verdict
 *   comes from two checks in a row (the first is retried like any failure, so one odd answer never stops the
 *   checks); `refreshNow()` or `resume()` starts it again.
 * - Pausing (sleep, offline, screen locked, signed out) holds the schedule while any reason holds. Waking after a long
 *   sleep gives one check, a few seconds later (spread 0–30 s so several accounts don't stampede), not a burst of
 *   the checks that were "missed".
 * - `refreshNow()` joins a check already in flight instead of asking twice, and the schedule restarts from it.
 * - `reschedule()` applies a changed interval to the wait under way, instead of only from the next check.
 */

import { LONGEST_WAIT_MS } from '../../common/problems'
import type { Clock, TimerHandle } from './ports'

export type PollOutcome =
  | { ok: true }
  | {
      ok: false
      retryAfterMs?: number
      needsPerson?: boolean
      /** What the person would be asked to do (a problem kind): a halt needs the same one twice in a row. */
      verdict?: string
    }

/** Why checks are held: the computer sleeps, it is offline, or the screen is locked. */
export type PauseReason = 'suspend' | 'offline' | 'locked'

export interface PollerOptions {
  clock: Clock
  /** Read at each planning step, so a changed setting applies from the next check on. */
  intervalMs: () => number
  /** Never expected to throw; if it does, that counts as an ordinary failure. */
  check: () => Promise<PollOutcome>
  random?: () => number
  /** How far each wait may stray from its nominal length, as a fraction (0.1 = ±10 %). */
  jitterRatio?: number
  backoffBaseMs?: number
  backoffCapMs?: number
  /** The longest random wait before the check that follows a resume. */
  resumeSpreadMs?: number
  /** Told whenever the next planned check changes; null when none is planned. */
  onSchedule?: (nextAt: number | null) => void
}

export const DEFAULT_INTERVAL_MS = 15 * 60_000
const DEFAULT_JITTER_RATIO = 0.1
const DEFAULT_BACKOFF_BASE_MS = 30_000
const DEFAULT_BACKOFF_CAP_MS = 30 * 60_000
const DEFAULT_RESUME_SPREAD_MS = 30_000

export class Poller {
  private readonly clock: Clock
  private readonly random: () => number
  private readonly jitterRatio: number
  private readonly backoffBaseMs: number
  private readonly backoffCapMs: number
  private readonly resumeSpreadMs: number

  private running = false
  private readonly pauseReasons = new Set<PauseReason>()
  /** A failure only a person can fix stopped the schedule. */
  private halted = false
  private consecutiveFailures = 0
  /** The verdict of the last check if it said only a person can fix it; null when it did not. */
  private personVerdict: string | undefined | null = null
  // Every time below is on the clock's monotonic reading, so a wall clock set back (or forward) a day neither
  // stretches nor skips a wait; only what the poller tells others (nextAt) is wall time, for people to read.
  /** When the last successful check ended, the point a changed interval is measured from. */
  private lastSuccessEndedAt: number | null = null
  private current: Promise<void> | null = null
  private timer: TimerHandle | null = null
  /** When the next check is due, kept through a pause so a short pause doesn't move it. */
  private plannedAt: number | null = null
  /** The planned check that was last announced (monotonic), and its wall time as announced. */
  private scheduledAt: number | null = null
  private scheduledWallAt: number | null = null

  constructor(private readonly options: PollerOptions) {
    this.clock = options.clock
    this.random = options.random ?? Math.random
    this.jitterRatio = options.jitterRatio ?? DEFAULT_JITTER_RATIO
    this.backoffBaseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS
    this.backoffCapMs = options.backoffCapMs ?? DEFAULT_BACKOFF_CAP_MS
    this.resumeSpreadMs = options.resumeSpreadMs ?? DEFAULT_RESUME_SPREAD_MS
  }

  /** When the next check will run, or null when none is planned (stopped, paused, halted, or one is running). */
  get nextAt(): number | null {
    return this.scheduledWallAt
  }

  get inFlight(): boolean {
    return this.current !== null
  }

  /** Starts polling with a check right away (or when the last pause reason clears, if paused). */
  start(): void {
    if (this.running) return
    this.running = true
    this.halted = false
    if (this.pauseReasons.size === 0) void this.runCheck()
  }

  /** Stops for good: no timers are left behind. A check in flight finishes but plans nothing after it. */
  stop(): void {
    this.running = false
    this.plannedAt = null
    this.clearTimer()
  }

  pause(reason: PauseReason): void {
    this.pauseReasons.add(reason)
    this.clearTimer()
  }

  /**
   * Clears one pause reason. When none is left, a check that is due (or overdue) runs after a short random spread;
   * one that is not due yet keeps its time. Resuming also restarts a schedule a person-fixable failure stopped.
   */
  resume(reason: PauseReason): void {
    const wasHeld = this.pauseReasons.delete(reason) || this.halted
    if (!wasHeld || this.pauseReasons.size > 0 || !this.running) return
    this.halted = false
    if (this.current) return // it plans the next check when it ends
    const now = this.clock.monotonicNow()
    if (this.plannedAt !== null && this.plannedAt > now) this.arm(this.plannedAt)
    else this.arm(now + this.random() * this.resumeSpreadMs)
  }

  /** Checks now, or joins the check already running; the schedule then restarts from this check. */
  refreshNow(): Promise<void> {
    this.halted = false
    return this.runCheck()
  }

  /**
   * Re-plans the next check after the interval setting changed, measured from the last successful check (a retry
   * after a failure keeps its backoff). A check already overdue under the new interval runs right away.
   */
  reschedule(): void {
    if (!this.running || this.current || this.halted || this.consecutiveFailures > 0) return
    if (this.lastSuccessEndedAt === null) return
    this.plannedAt = this.lastSuccessEndedAt + this.jitter(this.interval())
    if (this.pauseReasons.size === 0) this.arm(this.plannedAt)
  }

  private runCheck(): Promise<void> {
    if (this.current) return this.current
    this.clearTimer()
    this.plannedAt = null
    const run = this.checkOnce().finally(() => {
      this.current = null
      if (this.running && this.pauseReasons.size === 0 && this.plannedAt !== null) this.arm(this.plannedAt)
    })
    this.current = run
    return run
  }

  private async checkOnce(): Promise<void> {
    let outcome: PollOutcome
    try {
      outcome = await this.options.check()
    } catch {
      outcome = { ok: false }
    }
    this.plannedAt = this.planAfter(outcome, this.clock.monotonicNow())
  }

  /** When to check next after `outcome`, measured from when the check ended; null when a person must act first. */
  private planAfter(outcome: PollOutcome, endedAt: number): number | null {
    const lastVerdict = this.personVerdict
    this.personVerdict = !outcome.ok && outcome.needsPerson ? outcome.verdict : null
    if (outcome.ok) {
      this.consecutiveFailures = 0
      this.lastSuccessEndedAt = endedAt
      return endedAt + this.jitter(this.interval())
    }
    if (outcome.needsPerson && lastVerdict !== null && lastVerdict === outcome.verdict) {
      this.halted = true
      // After the person acts, a failure must again be seen twice before the checks stop.
      this.personVerdict = null
      return null
    }
    this.consecutiveFailures++
    const backoff = Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** (this.consecutiveFailures - 1))
    // Jitter may shorten a wait but never below what Zoho asked for, and no one may ask for more than 6 h.
    const floor = Math.min(outcome.retryAfterMs ?? 0, LONGEST_WAIT_MS)
    return endedAt + Math.max(this.jitter(backoff), floor)
  }

  private interval(): number {
    const ms = this.options.intervalMs()
    return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_INTERVAL_MS
  }

  private jitter(ms: number): number {
    return ms * (1 + this.jitterRatio * (2 * this.random() - 1))
  }

  private arm(at: number): void {
    this.clearTimer()
    this.plannedAt = at
    this.timer = this.clock.setTimeout(() => {
      this.timer = null
      void this.runCheck()
    }, at - this.clock.monotonicNow())
    this.announce(at)
  }

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
    this.announce(null)
  }

  private announce(at: number | null): void {
    if (this.scheduledAt === at) return
    this.scheduledAt = at
    this.scheduledWallAt = at === null ? null : this.clock.now() + (at - this.clock.monotonicNow())
    this.options.onSchedule?.(this.scheduledWallAt)
  }
}

const MINUTES_PER_DAY = 24 * 60

/**
 * Zoho API calls a day that polling every `pollMinutes` costs (Zoho counts credits per org per day). Rounded up:
 * it is shown as a budget, so it should not promise less than it spends. Failures and manual refreshes add to it.
 */
export function callsPerDay(pollMinutes: number, callsPerCheck = 1): number {
  return Math.ceil(MINUTES_PER_DAY / Math.max(1, pollMinutes)) * callsPerCheck
}
