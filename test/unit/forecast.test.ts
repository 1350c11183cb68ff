import { describe, expect, it } from 'vitest'
import type { HistoryPoint } from '../../common/model'
import { forecast } from '../../main/core/forecast'

const NOW = Date.UTC(2026, 0, 20, 9)
const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A step history: each [days ago, available] holds until the next; purchased 25 unless given. */
function history(steps: [daysAgo: number, available: number, purchased?: number][]): HistoryPoint[] {
  return steps.map(([daysAgo, available, purchased = 25]) => ({
    t: NOW - daysAgo * DAY,
    purchased,
    active: purchased - available,
    available,
  }))
}

/** Pseudo-random but repeatable noise in [-1, 1]. */
function noise(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 16807) % 2147483647
    return Math.round((s / 2147483647) * 2 - 1)
  }
}

describe('when seats run out at the recent trend', () => {
  it('predicts running out in about 3 days when a seat is taken every day and 3 are left', () => {
    const result = forecast(
      history([
        [7, 10],
        [6, 9],
        [5, 8],
        [4, 7],
        [3, 6],
        [2, 5],
        [1, 4],
        [0, 3],
      ]),
      NOW,
    )
    expect(result.kind).toBe('runs-out')
    if (result.kind !== 'runs-out') return
    expect(result.seatsPerDay).toBeGreaterThan(0.85)
    expect(result.seatsPerDay).toBeLessThan(1.15)
    expect((result.at - NOW) / DAY).toBeGreaterThan(2.5)
    expect((result.at - NOW) / DAY).toBeLessThan(3.5)
  })

  it('weights each value by how long it held, not by how many points recorded it', () => {
    // A brief drop two weeks ago, then 12 days at 8 recorded by daily heartbeats. Fitting the points alone would see
    // a decline of almost 3 seats; by time the story is a long flat stretch.
    const dips = history([
      [14, 14],
      [13.9, 11],
      [13.8, 8],
    ])
    const heartbeats = Array.from({ length: 12 }, (_, i) => history([[12 - i, 8]])[0]!)
    expect(forecast([...dips, ...heartbeats], NOW)).toEqual({ kind: 'stable' })
  })

  it('says "stable" when seats are coming free', () => {
    expect(
      forecast(
        history([
          [5, 2],
          [3, 4],
          [1, 6],
        ]),
        NOW,
      ),
    ).toEqual({ kind: 'stable' })
  })

  it('says "stable" when nothing changed for days', () => {
    expect(forecast(history([[10, 5]]), NOW)).toEqual({ kind: 'stable' })
  })

  it('says "stable" for noise around a level, and still sees a decline through noise', () => {
    const jitter = noise(42)
    const level = Array.from({ length: 14 * 4 }, (_, i) => [14 - i / 4, 6 + jitter()] as [number, number])
    expect(forecast(history(level), NOW)).toEqual({ kind: 'stable' })

    const jitter2 = noise(7)
    const falling = Array.from(
      { length: 10 * 4 },
      (_, i) => [10 - i / 4, Math.max(1, 12 - Math.floor(i / 4) + jitter2())] as [number, number],
    )
    const result = forecast(history(falling), NOW)
    expect(result.kind).toBe('runs-out')
    if (result.kind === 'runs-out') expect(result.seatsPerDay).toBeGreaterThan(0.7)
  })

  it('starts over when purchased seats change, because the old trend says nothing about the new count', () => {
    const beforePurchase = history([
      [10, 9],
      [9, 8],
      [8, 7],
      [7, 6],
      [6, 5],
      [5, 4],
      [4, 3],
      [3, 2],
    ])
    const bought = (daysAgo: number, available: number) => history([[daysAgo, available, 35]])[0]!
    expect(forecast([...beforePurchase, bought(0.1, 12)], NOW)).toEqual({ kind: 'not-enough-data' })
    expect(forecast([...beforePurchase, bought(2, 12)], NOW)).toEqual({ kind: 'stable' })
  })

  it('looks at the last 14 days only', () => {
    const oldDecline = history([
      [30, 20],
      [25, 15],
      [20, 10],
    ])
    expect(forecast([...oldDecline, ...history([[13, 10]])], NOW)).toEqual({ kind: 'stable' })
  })

  it('says there is not enough data under 24 hours, or with a single change', () => {
    expect(forecast([], NOW)).toEqual({ kind: 'not-enough-data' })
    expect(
      forecast(
        history([
          [0.8, 5],
          [0.5, 4],
          [0.2, 3],
        ]),
        NOW,
      ),
    ).toEqual({ kind: 'not-enough-data' })
    expect(
      forecast(
        history([
          [5, 5],
          [2, 4],
        ]),
        NOW,
      ),
    ).toEqual({ kind: 'not-enough-data' })
  })

  it('says seats are out now when none is free', () => {
    expect(
      forecast(
        history([
          [2, 1],
          [1, 0],
        ]),
        NOW,
      ),
    ).toEqual({ kind: 'out-now' })
  })

  it('calls a decline too slow to matter within a year stable', () => {
    // 200 seats free, losing about 2 over two weeks: out in years.
    expect(
      forecast(
        history([
          [14, 202, 400],
          [7, 201, 400],
          [1, 200, 400],
        ]),
        NOW,
      ),
    ).toEqual({ kind: 'stable' })
  })

  it('ignores readings from after now and accepts points in any order', () => {
    const points = history([
      [0, 3],
      [2, 5],
      [4, 7],
      [6, 9],
      [-1, 0],
    ])
    expect(forecast(points, NOW).kind).toBe('runs-out')
  })
})
