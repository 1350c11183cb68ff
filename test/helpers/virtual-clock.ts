/**
 * A Clock for tests that runs in virtual time: nothing happens until the test advances it, and then timers fire in
 * the order they are due, with pending promise work settled between them, so a test of "a day of polling" runs in
 * milliseconds and always the same way.
 */
import type { Clock, TimerHandle } from '../../main/core/ports'

export class VirtualClock implements Clock {
  private current: number
  private readonly timers = new Map<number, Timer>()
  private nextId = 1

  constructor(start = Date.UTC(2026, 0, 5, 9)) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++
    // Like Node: a negative or non-numeric delay means "as soon as possible".
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0
    this.timers.set(id, { id, at: this.current + delay, callback })
    return { virtualTimerId: id }
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === 'object' && handle !== null && 'virtualTimerId' in handle) {
      this.timers.delete((handle as { virtualTimerId: number }).virtualTimerId)
    }
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
