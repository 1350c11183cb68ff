import { describe, expect, it } from 'vitest'
import { MAX_TIMER_MS } from '../../main/core/ports'
import { VirtualClock } from '../helpers/virtual-clock'

const DAY = 86_400_000

describe('the virtual clock tests run on', () => {
  it('starts on a Monday morning in January 2026 unless told otherwise', () => {
    expect(new VirtualClock().now()).toBe(Date.UTC(2026, 0, 5, 9))
    expect(new VirtualClock(1000).now()).toBe(1000)
  })

  it('fires nothing until time is advanced, then fires due timers in due order at their own time', async () => {
    const clock = new VirtualClock(0)
    const fired: string[] = []
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200)
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100)
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 300)
    expect(fired).toEqual([])
    await clock.advance(250)
    expect(fired).toEqual(['a@100', 'b@200'])
    expect(clock.now()).toBe(250)
    expect(clock.pending()).toBe(1)
  })

  it('fires timers due at the same moment in the order they were set', async () => {
    const clock = new VirtualClock(0)
    const fired: number[] = []
    for (const n of [1, 2, 3]) clock.setTimeout(() => fired.push(n), 50)
    await clock.advance(50)
    expect(fired).toEqual([1, 2, 3])
  })

  it('does not fire a cleared timer', async () => {
    const clock = new VirtualClock(0)
    let fired = false
    const handle = clock.setTimeout(() => {
      fired = true
    }, 10)
    clock.clearTimeout(handle)
    await clock.advance(100)
    expect(fired).toBe(false)
    expect(clock.pending()).toBe(0)
  })

  it('fires timers that a timer schedules within the same advance', async () => {
    const clock = new VirtualClock(0)
    const times: number[] = []
    const tick = () => {
      times.push(clock.now())
      clock.setTimeout(tick, 60)
    }
    clock.setTimeout(tick, 60)
    await clock.advance(200)
    expect(times).toEqual([60, 120, 180])
  })

  it('lets async work started by a timer settle before the next timer fires', async () => {
    const clock = new VirtualClock(0)
    const log: string[] = []
    clock.setTimeout(async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve()
      log.push('first done')
    }, 10)
    clock.setTimeout(() => log.push('second'), 20)
    await clock.advance(30)
    expect(log).toEqual(['first done', 'second'])
  })

  it('runs until idle, and gives up on something that reschedules forever', async () => {
    const clock = new VirtualClock(0)
    let count = 0
    clock.setTimeout(() => clock.setTimeout(() => count++, 1000), 1000)
    await clock.runUntilIdle()
    expect(count).toBe(1)
    expect(clock.now()).toBe(2000)

    const forever = () => clock.setTimeout(forever, 1)
    forever()
    await expect(clock.runUntilIdle(50)).rejects.toThrow(/still busy after 50/)
  })

  it('treats a negative delay as zero', async () => {
    const clock = new VirtualClock(0)
    let fired = false
    clock.setTimeout(() => {
      fired = true
    }, -5)
    await clock.advance(0)
    expect(fired).toBe(true)
  })

  it('fires a bare timer over 2^31−1 ms after 1 ms, as Node does, so a test can see an unchained timer storm', async () => {
    const clock = new VirtualClock(0)
    let fired = 0
    clock.nodeSetTimeout(() => fired++, MAX_TIMER_MS + 1)
    clock.nodeSetTimeout(() => fired++, Number.POSITIVE_INFINITY)
    await clock.advance(1)
    expect(fired).toBe(2)
    expect(clock.overflows).toBe(2)
  })

  it('waits the whole month for a month-long timer, and fires it once', async () => {
    const clock = new VirtualClock(0)
    const fired: number[] = []
    clock.setTimeout(() => fired.push(clock.now()), 30 * DAY)
    await clock.advance(30 * DAY - 1)
    expect(fired).toEqual([])
    await clock.advance(1)
    expect(fired).toEqual([30 * DAY])
    await clock.advance(60 * DAY)
    expect(fired).toHaveLength(1)
    expect(clock.overflows).toBe(0)
  })

  it('cancels a long timer at any point of its wait', async () => {
    const clock = new VirtualClock(0)
    let fired = false
    const handle = clock.setTimeout(() => {
      fired = true
    }, 90 * DAY)
    await clock.advance(40 * DAY)
    clock.clearTimeout(handle)
    await clock.advance(100 * DAY)
    expect(fired).toBe(false)
    expect(clock.pending()).toBe(0)
  })

  it('never fires a timer of infinite length', async () => {
    const clock = new VirtualClock(0)
    let fired = false
    clock.setTimeout(() => {
      fired = true
    }, Number.POSITIVE_INFINITY)
    await clock.advance(365 * DAY)
    expect(fired).toBe(false)
  })

  it('sets the wall clock back a day without moving timers or monotonic time', async () => {
    const clock = new VirtualClock(10 * DAY)
    let firedAt: number | null = null
    clock.setTimeout(() => {
      firedAt = clock.monotonicNow()
    }, 15 * 60_000)
    clock.jumpWallClock(-DAY)
    expect(clock.now()).toBe(9 * DAY)
    expect(clock.monotonicNow()).toBe(0)
    await clock.advance(15 * 60_000)
    expect(firedAt).toBe(15 * 60_000)
    expect(clock.now()).toBe(9 * DAY + 15 * 60_000)
  })
})
