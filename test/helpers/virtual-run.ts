/**
 * Runs an app on the virtual clock while its HTTP goes over real loopback sockets: time jumps from one timer to
 * the next, and before each jump the real network is given the (real) time it needs to answer.
 */
import type { VirtualClock } from './virtual-clock'

export interface VirtualRun {
  /** True while a request is on the wire (the stand-in's count of unanswered requests). */
  busy: () => boolean
  /** Called after each step; throw from it to stop a storm early instead of running it for a virtual day. */
  guard?: () => void
}

/** Advances `ms` of virtual time, one due timer at a time, letting each check finish over the network first. */
export async function runVirtually(clock: VirtualClock, ms: number, run: VirtualRun): Promise<void> {
  const end = clock.monotonicNow() + ms
  for (;;) {
    await quiet(clock, run.busy)
    run.guard?.()
    const next = clock.nextDueIn()
    if (next === undefined || clock.monotonicNow() + next > end) break
    await clock.advance(next)
  }
  await clock.advance(Math.max(0, end - clock.monotonicNow()))
}

/**
 * Waits (in real time) until a check has ended: nothing on the wire and the next check armed. A schedule that
 * stopped arms nothing, so "nothing changed for 100 ms" also counts as quiet.
 */
async function quiet(clock: VirtualClock, busy: () => boolean): Promise<void> {
  let idleSince = Date.now()
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2))
    if (busy()) {
      idleSince = Date.now()
      continue
    }
    if (clock.pending() > 0 || Date.now() - idleSince > 100) return
  }
}
