import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { holdingClock, MAX_TIMER_MS, sleep, systemClock } from '../../main/core/ports'

const DAY = 86_400_000

afterEach(() => {
  vi.useRealTimers()
})

describe('the system clock the app runs on', () => {
  it('does not fire a month-long timer within 50 ms (Node alone fires it after 1 ms)', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.name)
    process.on('warning', onWarning)
    let fired = 0
    const handles = [30 * DAY, MAX_TIMER_MS + 1, 365 * DAY].map((ms) =>
      systemClock.setTimeout(() => fired++, ms),
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    process.off('warning', onWarning)
    for (const handle of handles) systemClock.clearTimeout(handle)
    expect(fired).toBe(0)
    expect(warnings).not.toContain('TimeoutOverflowWarning')
  })

  it('fires a 30-day timer once, after 30 days and not before, by chaining shorter timers', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    let fired = 0
    systemClock.setTimeout(() => fired++, 30 * DAY)
    vi.advanceTimersByTime(30 * DAY - 1)
    expect(fired).toBe(0)
    vi.advanceTimersByTime(1)
    expect(fired).toBe(1)
    vi.advanceTimersByTime(60 * DAY)
    expect(fired).toBe(1)
  })

  it('cancels a long timer in the middle of its chain', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    let fired = 0
    const handle = systemClock.setTimeout(() => fired++, 60 * DAY)
    vi.advanceTimersByTime(40 * DAY)
    systemClock.clearTimeout(handle)
    vi.advanceTimersByTime(60 * DAY)
    expect(fired).toBe(0)
  })

  it('reads a monotonic clock that a wall-clock change cannot move', () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] })
    const before = systemClock.monotonicNow()
    vi.setSystemTime(Date.now() - DAY)
    expect(systemClock.monotonicNow()).toBeGreaterThanOrEqual(before)
    expect(systemClock.monotonicNow() - before).toBeLessThan(1000)
  })
})

describe('the holding clock a command waits on', () => {
  it('never fires a month-long or endless wait early, and sleep waits as long as asked', async () => {
    let fired = 0
    const handles = [30 * DAY, Number.POSITIVE_INFINITY].map((ms) =>
      holdingClock.setTimeout(() => fired++, ms),
    )
    const started = performance.now()
    await sleep(holdingClock, 30)
    expect(performance.now() - started).toBeGreaterThanOrEqual(29)
    for (const handle of handles) holdingClock.clearTimeout(handle)
    expect(fired).toBe(0)
  })

  it('holds the process open while it waits, where the system clock lets it exit', () => {
    const run = (clock: string) =>
      spawnSync(
        'node_modules/.bin/tsx',
        [
          '-e',
          `import('./main/core/ports.ts').then(async (p) => { await p.sleep(p.${clock}, 300); console.log('woke') })`,
        ],
        { encoding: 'utf8', timeout: 20_000 },
      ).stdout
    expect(run('holdingClock')).toContain('woke')
    expect(run('systemClock')).not.toContain('woke')
  })
})
