/**
 * A Clock for tests that runs in virtual time: nothing happens until the test advances it, and then timers fire in
 * the order they are due, with pending promise work settled between them, so a test of "a day of polling" runs in
 * milliseconds and always the same way.
 */
import {
  type Clock,
  clearChainedTimeout,
  delayOf,
  MAX_TIMER_MS,
  type PlatformTimers,
  setChainedTimeout,
  type TimerHandle,
} from '../../main/core/ports'

/**
 * Two clocks, as on a real computer: a monotonic one that timers run on and that only `advance` moves, and a wall
 * clock that follows it but that a test can also set forward or back (`jumpWallClock`), as a person or NTP would.
 */
export class VirtualClock implements Clock {
  /** Monotonic time, from 0 as performance.now() does. */
  private current = 0
  /** Wall time minus monotonic time. */
  private wallOffset: number
  private readonly timers = new Map<number, Timer>()
  private nextId = 1
  /** Raw timers with Node's overflow, under the same chaining the system clock uses. */
  private readonly platform: PlatformTimers = {
    monotonicNow: () => this.current,
    set: (callback, ms) => this.nodeSetTimeout(callback, ms),
    clear: (handle) => this.clearRaw(handle),
  }
  /** How many raw timers were asked for more than Node can hold (each fired after 1 ms, as Node's would). */
  overflows = 0

  constructor(start = Date.UTC(2026, 0, 5, 9)) {
    this.wallOffset = start
  }

  now(): number {
    return this.current + this.wallOffset
  }

  monotonicNow(): number {
    return this.current
  }

  /** Sets the wall clock forward (or back, with a negative `ms`); timers and monotonic time do not move. */
  jumpWallClock(ms: number): void {
    this.wallOffset += ms
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return setChainedTimeout(this.platform, callback, ms)
  }

  clearTimeout(handle: TimerHandle): void {
    clearChainedTimeout(this.platform, handle)
  }

  /**
   * A bare timer exactly as Node's setTimeout treats its delay: negative or NaN means now, and anything over
   * 2^31−1 ms (Infinity included) fires after 1 ms. Clock.setTimeout never does that; this is here so a test
   * can show what an unchained timer would have done.
   */
  nodeSetTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++
    let delay = delayOf(ms)
    if (delay > MAX_TIMER_MS) {
      this.overflows++
      delay = 1
    }
    this.timers.set(id, { id, at: this.current + delay, callback })
    return { virtualTimerId: id }
  }

  private clearRaw(handle: unknown): void {
    if (typeof handle === 'object' && handle !== null && 'virtualTimerId' in handle) {
      this.timers.delete((handle as { virtualTimerId: number }).virtualTimerId)
    }
  }

  /** How long until the next timer is due (0 if one is due now), or undefined when none is waiting. */
  nextDueIn(): number | undefined {
    const next = this.nextDue(Number.POSITIVE_INFINITY)
    return next === undefined ? undefined : Math.max(0, next.at - this.current)
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way (including ones those timers schedule)
   * at its own due time, and letting promise chains they start settle before the next one fires.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms)
    await settle()
    for (let timer = this.nextDue(target); timer; timer = this.nextDue(target)) {
      this.fire(timer)
      await settle()
    }
    this.current = target
    await settle()
  }

  /**
   * Fires timers in due order, jumping time to each, until none are left. Something that always reschedules itself
   * (a poller) never goes idle, so this gives up after `limit` timers rather than spinning forever.
   */
  async runUntilIdle(limit = 10_000): Promise<void> {
    await settle()
    for (let fired = 0; this.timers.size > 0; fired++) {
      if (fired >= limit) throw new Error(`VirtualClock: still busy after ${limit} timers`)
      const timer = this.nextDue(Number.POSITIVE_INFINITY)!
      this.fire(timer)
      await settle()
    }
  }

  /** How many timers are waiting. */
  pending(): number {
    return this.timers.size
  }

  private nextDue(notAfter: number): Timer | undefined {
    let earliest: Timer | undefined
    for (const timer of this.timers.values()) {
      // Ties go to the timer set first (lower id), as with real timers.
      if (timer.at <= notAfter && (!earliest || timer.at < earliest.at)) earliest = timer
    }
    return earliest
  }

  private fire(timer: Timer): void {
    this.timers.delete(timer.id)
    this.current = Math.max(this.current, timer.at)
    timer.callback()
  }
}

interface Timer {
  id: number
  at: number
  callback: () => void
}

/**
 * Lets pending promise work run. A macrotask turn drains the whole microtask queue, however long the await chain;
 * a few turns cover work that itself hops through setImmediate or resolved I/O.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
