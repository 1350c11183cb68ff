import { describe, expect, it } from 'vitest'
import { callsPerDay, Poller, type PollerOptions, type PollOutcome } from '../../main/core/poller'
import { VirtualClock } from '../helpers/virtual-clock'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** A poller on a virtual clock whose checks answer from a script and record when they started. */
function setup(options: Partial<PollerOptions> & { answers?: PollOutcome[]; checkTakesMs?: number } = {}) {
  const clock = new VirtualClock()
  const started: number[] = []
  const answers = [...(options.answers ?? [])]
  const poller = new Poller({
    clock,
    intervalMs: () => 15 * MINUTE,
    random: () => 0.5, // no jitter unless a test asks for it
    check: async () => {
      started.push(clock.now())
      if (options.checkTakesMs) await new Promise<void>((r) => clock.setTimeout(r, options.checkTakesMs!))
      return answers.shift() ?? { ok: true }
    },
    ...options,
  })
  const gapsInSeconds = () => started.slice(1).map((t, i) => (t - started[i]!) / 1000)
  return { clock, poller, started, gapsInSeconds }
}

describe('polling one account', () => {
  it('checks right away, then about every 15 minutes: about 96 checks in a day', async () => {
    let seed = 1
    const random = () => {
      seed = (seed * 16807) % 2147483647 // a fixed pseudo-random sequence, so the jitter is real but repeatable
      return seed / 2147483647
    }
    const { clock, poller, started } = setup({ random, checkTakesMs: 800 })
    poller.start()
    expect(started).toHaveLength(1)
    await clock.advance(24 * HOUR)
    expect(started.length).toBeGreaterThanOrEqual(94)
    expect(started.length).toBeLessThanOrEqual(98)
  })

  it('spreads each wait by up to ±10 % so accounts drift apart', async () => {
    let r = 0
    const sequence = [0, 1, 0.5]
    const { clock, poller, gapsInSeconds } = setup({ random: () => sequence[r++ % 3]! })
    poller.start()
    await clock.advance(HOUR)
    expect(gapsInSeconds().slice(0, 3)).toEqual([810, 990, 900])
  })

  it('measures the interval from when the last check ended, so a slow check never overlaps the next', async () => {
    let running = 0
    let overlapped = false
    const clock = new VirtualClock()
    const ends: number[] = []
    const starts: number[] = []
    const poller = new Poller({
      clock,
      intervalMs: () => 15 * MINUTE,
      random: () => 0.5,
      check: async () => {
        starts.push(clock.now())
        if (++running > 1) overlapped = true
        await new Promise<void>((r) => clock.setTimeout(r, 20 * MINUTE)) // slower than the interval
        running--
        ends.push(clock.now())
        return { ok: true }
      },
    })
    poller.start()
    await clock.advance(3 * HOUR)
    expect(overlapped).toBe(false)
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - ends[i - 1]!).toBe(15 * MINUTE)
  })

  it('does not drift: after 100 checks the schedule is exactly 100 intervals on', async () => {
    const { clock, poller, started } = setup()
    poller.start()
    await clock.advance(100 * 15 * MINUTE)
    expect(started).toHaveLength(101)
    expect(started[100]! - started[0]!).toBe(100 * 15 * MINUTE)
  })

  it('reads the interval setting at each step, so a change applies from the next check', async () => {
    let minutes = 15
    const { clock, poller, gapsInSeconds } = setup({ intervalMs: () => minutes * MINUTE })
    poller.start()
    await clock.advance(14 * MINUTE)
    minutes = 5 // changed while the 15-minute wait is under way: that wait stands
    await clock.advance(21 * MINUTE)
    expect(gapsInSeconds()).toEqual([900, 300, 300, 300, 300])
  })

  it('applies a new interval to the wait under way when the setting changes', async () => {
    let minutes = 15
    const { clock, poller, started } = setup({ intervalMs: () => minutes * MINUTE })
    const t0 = clock.now()
    poller.start()
    await clock.advance(2 * MINUTE)
    minutes = 5
    poller.reschedule()
    expect(poller.nextAt).toBe(t0 + 5 * MINUTE)
    minutes = 1 // already overdue under a 1-minute interval: check right away
    poller.reschedule()
    await clock.advance(0)
    expect(started).toEqual([t0, t0 + 2 * MINUTE])
  })

  it('keeps the backoff when the interval changes during a run of failures', async () => {
    const { clock, poller } = setup({ answers: [{ ok: false }] })
    poller.start()
    await clock.advance(0)
    const retryAt = poller.nextAt
    poller.reschedule()
    expect(poller.nextAt).toBe(retryAt)
  })

  it('tells the app when the next check is due', async () => {
    const seen: (number | null)[] = []
    const { clock, poller } = setup({ onSchedule: (at) => seen.push(at) })
    const t0 = clock.now()
    poller.start()
    await clock.advance(0)
    expect(poller.nextAt).toBe(t0 + 15 * MINUTE)
    expect(seen.at(-1)).toBe(t0 + 15 * MINUTE)
    poller.stop()
    expect(poller.nextAt).toBeNull()
    expect(seen.at(-1)).toBeNull()
  })

  it('leaves no timer behind when stopped', async () => {
    const { clock, poller, started } = setup()
    poller.start()
    await clock.advance(MINUTE)
    poller.stop()
    expect(clock.pending()).toBe(0)
    await clock.advance(5 * HOUR)
    expect(started).toHaveLength(1)
  })
})

describe('when checks fail', () => {
  it('retries after 30 s, then doubles the wait up to a 30-minute cap', async () => {
    const { clock, poller, gapsInSeconds } = setup({ answers: Array(10).fill({ ok: false }) })
    poller.start()
    await clock.advance(4 * HOUR)
    expect(gapsInSeconds().slice(0, 10)).toEqual([30, 60, 120, 240, 480, 960, 1800, 1800, 1800, 1800])
  })

  it('goes back to the normal interval after a success', async () => {
    const { clock, poller, gapsInSeconds } = setup({ answers: [{ ok: false }, { ok: false }, { ok: true }] })
    poller.start()
    await clock.advance(HOUR)
    expect(gapsInSeconds().slice(0, 4)).toEqual([30, 60, 900, 900])
  })

  it('never asks again before the Retry-After Zoho gave, even when the backoff is shorter', async () => {
    const { clock, poller, gapsInSeconds } = setup({
      answers: [
        { ok: false, retryAfterMs: 5 * MINUTE },
        { ok: false, retryAfterMs: 1000 },
      ],
    })
    poller.start()
    await clock.advance(HOUR)
    expect(gapsInSeconds().slice(0, 2)).toEqual([300, 60])
  })

  it('keeps the Retry-After floor even when jitter would shorten the wait', async () => {
    const { clock, poller, gapsInSeconds } = setup({
      random: () => 0,
      answers: [{ ok: false, retryAfterMs: 30_000 }],
    })
    poller.start()
    await clock.advance(MINUTE)
    expect(gapsInSeconds()[0]).toBe(30)
  })

  it('counts a check that throws as an ordinary failure', async () => {
    const clock = new VirtualClock()
    let calls = 0
    const poller = new Poller({
      clock,
      intervalMs: () => 15 * MINUTE,
      random: () => 0.5,
      check: async () => {
        calls++
        throw new Error('boom')
      },
    })
    poller.start()
    await clock.advance(31_000)
    expect(calls).toBe(2)
  })

  it('stops asking when only a person can fix it (the same verdict twice in a row), until they refresh', async () => {
    const signIn = { ok: false, needsPerson: true, verdict: 'reauth-needed' } as const
    const { clock, poller, started } = setup({ answers: [signIn, signIn] })
    poller.start()
    await clock.advance(24 * HOUR)
    expect(started).toHaveLength(2)
    expect(poller.nextAt).toBeNull()
    expect(clock.pending()).toBe(0)

    await poller.refreshNow()
    expect(started).toHaveLength(3)
    expect(poller.nextAt).toBe(clock.now() + 15 * MINUTE)
  })

  it('starts again on a resume (the computer back online) when a person-fixable failure stopped it', async () => {
    const signIn = { ok: false, needsPerson: true, verdict: 'reauth-needed' } as const
    const { clock, poller, started } = setup({ answers: [signIn, signIn] })
    poller.start()
    await clock.advance(HOUR)
    poller.pause('offline')
    poller.resume('offline')
    await clock.advance(30_000)
    expect(started).toHaveLength(3)
  })

  it('retries once, on the backoff, before one person-needed answer stops the checks', async () => {
    const signIn = { ok: false, needsPerson: true, verdict: 'not-found' } as const
    const { clock, poller, gapsInSeconds } = setup({ answers: [signIn, { ok: true }] })
    poller.start()
    await clock.advance(HOUR)
    expect(gapsInSeconds().slice(0, 2)).toEqual([30, 15 * 60])
    expect(poller.nextAt).not.toBeNull()
  })

  it('does not stop when two checks in a row name different things for a person to fix', async () => {
    const { clock, poller, started } = setup({
      answers: [
        { ok: false, needsPerson: true, verdict: 'not-found' },
        { ok: false, needsPerson: true, verdict: 'scope-missing' },
      ],
    })
    poller.start()
    await clock.advance(2 * MINUTE)
    expect(started).toHaveLength(3)
  })

  it('needs two answers in a row again after the person acted', async () => {
    const signIn = { ok: false, needsPerson: true, verdict: 'reauth-needed' } as const
    const { clock, poller, started } = setup({ answers: [signIn, signIn, signIn, { ok: true }] })
    poller.start()
    await clock.advance(HOUR)
    expect(started).toHaveLength(2)
    await poller.refreshNow()
    expect(started).toHaveLength(3)
    expect(poller.nextAt).not.toBeNull()
    await clock.advance(3 * MINUTE)
    expect(started).toHaveLength(4)
  })
})

describe('refreshing on request', () => {
  it('joins a check already in flight instead of asking Zoho twice', async () => {
    const { clock, poller, started } = setup({ checkTakesMs: 5000 })
    poller.start()
    expect(poller.inFlight).toBe(true)
    const a = poller.refreshNow()
    const b = poller.refreshNow()
    expect(a).toBe(b)
    await clock.advance(5000)
    await a
    expect(started).toHaveLength(1)
    expect(poller.inFlight).toBe(false)
  })

  it('restarts the schedule from the manual check', async () => {
    const { clock, poller, started } = setup()
    poller.start()
    await clock.advance(10 * MINUTE)
    await poller.refreshNow()
    expect(poller.nextAt).toBe(clock.now() + 15 * MINUTE)
    await clock.advance(14 * MINUTE) // past the old 15-minute mark: nothing extra
    expect(started).toHaveLength(2)
    await clock.advance(MINUTE)
    expect(started).toHaveLength(3)
  })
})

describe('pausing and resuming', () => {
  it('gives exactly one check, not a burst, after the computer sleeps for a night', async () => {
    const { clock, poller, started } = setup({ random: () => 0.5 })
    poller.start()
    await clock.advance(MINUTE)
    poller.pause('suspend')
    expect(clock.pending()).toBe(0)
    await clock.advance(8 * HOUR)
    expect(started).toHaveLength(1)
    poller.resume('suspend')
    await clock.advance(30_000) // the spread is 0–30 s
    expect(started).toHaveLength(2)
    await clock.advance(14 * MINUTE)
    expect(started).toHaveLength(2)
  })

  it('spreads the first check after waking over 0–30 s so several accounts do not stampede', async () => {
    const { clock, poller, started } = setup({ random: () => 0.9 })
    poller.start()
    await clock.advance(0)
    poller.pause('suspend')
    await clock.advance(2 * HOUR)
    const wokeAt = clock.now()
    poller.resume('suspend')
    expect(poller.nextAt).toBe(wokeAt + 27_000)
    await clock.advance(30_000)
    expect(started.at(-1)).toBe(wokeAt + 27_000)
  })

  it('keeps the schedule after a short pause when the next check is not due yet', async () => {
    const { clock, poller, started } = setup()
    const t0 = clock.now()
    poller.start()
    await clock.advance(2 * MINUTE)
    poller.pause('locked')
    await clock.advance(3 * MINUTE)
    poller.resume('locked')
    expect(poller.nextAt).toBe(t0 + 15 * MINUTE)
    await clock.advance(10 * MINUTE)
    expect(started).toEqual([t0, t0 + 15 * MINUTE])
  })

  it('stays paused while any reason holds', async () => {
    const { clock, poller, started } = setup()
    poller.start()
    await clock.advance(0)
    poller.pause('suspend')
    poller.pause('offline')
    await clock.advance(HOUR)
    poller.resume('suspend')
    await clock.advance(HOUR)
    expect(started).toHaveLength(1)
    expect(poller.nextAt).toBeNull()
    poller.resume('offline')
    await clock.advance(30_000)
    expect(started).toHaveLength(2)
  })

  it('does nothing when resumed for a reason that was never paused', async () => {
    const { clock, poller } = setup()
    poller.start()
    await clock.advance(MINUTE)
    const next = poller.nextAt
    poller.resume('offline')
    expect(poller.nextAt).toBe(next)
  })

  it('plans nothing while paused, even after a check that was in flight ends', async () => {
    const { clock, poller, started } = setup({ checkTakesMs: 10_000 })
    poller.start()
    poller.pause('offline')
    await clock.advance(HOUR)
    expect(started).toHaveLength(1)
    expect(poller.nextAt).toBeNull()
  })
})

describe('the daily API budget shown in settings', () => {
  it('is one call per check at the chosen interval', () => {
    expect(callsPerDay(15)).toBe(96)
    expect(callsPerDay(1)).toBe(1440)
    expect(callsPerDay(60)).toBe(24)
    expect(callsPerDay(15, 2)).toBe(192)
  })

  it('rounds up rather than promise fewer calls than it makes', () => {
    expect(callsPerDay(7)).toBe(206)
  })
})

describe('a wait someone asks for that is far too long', () => {
  it('checks again after 6 h at most, whatever Retry-After a check reports, and never overflows a timer', async () => {
    const { clock, poller, gapsInSeconds } = setup({
      answers: [
        { ok: false, retryAfterMs: 30 * 24 * HOUR },
        { ok: false, retryAfterMs: Number.POSITIVE_INFINITY },
      ],
    })
    poller.start()
    await clock.advance(24 * HOUR)
    expect(gapsInSeconds().slice(0, 2)).toEqual([6 * 3600, 6 * 3600])
    expect(clock.overflows).toBe(0)
  })
})

describe('a wall clock set back or forward', () => {
  it('keeps the 15-minute rhythm when the clock is set back a day during a sleep', async () => {
    const { clock, poller, started } = setup()
    poller.start()
    await clock.advance(5 * MINUTE)
    poller.pause('suspend')
    clock.jumpWallClock(-24 * HOUR)
    await clock.advance(5 * MINUTE)
    poller.resume('suspend')
    expect(poller.nextAt).toBe(clock.now() + 5 * MINUTE)
    await clock.advance(5 * MINUTE)
    expect(started).toHaveLength(2)
  })

  it('does not check early when the clock is set forward a day during a sleep', async () => {
    const { clock, poller, started } = setup({ random: () => 0 })
    poller.start()
    await clock.advance(0)
    poller.pause('suspend')
    clock.jumpWallClock(24 * HOUR)
    await clock.advance(MINUTE)
    poller.resume('suspend')
    await clock.advance(MINUTE)
    expect(started).toHaveLength(1)
  })
})
