/**
 * When seats run out at the recent trend. The rule, in order:
 * 1. No free seat now → `out-now`.
 * 2. The window is the last 14 days, cut short at the latest change of purchased seats: buying or cancelling seats
 *    starts a new story, and the old trend says nothing about it.
 * 3. It needs 24 h of data in the window, else `not-enough-data`. No change of available seats in that time is
 *    `stable`; a single change is `not-enough-data` (one step is not a trend); from 2 changes on there is a trend.
 * 4. History is a step series (each point holds until the next), so the trend is the least-squares slope of that
 *    step function over the window, every moment weighted equally — a value that held for a week counts a week, not
 *    one point.
 * 5. A trend that is not falling, or that loses less than one whole seat over the window (noise around a level), or
 *    that would take more than a year, is `stable`.
 * 6. Otherwise the seats free now run out at that pace: `runs-out` at now + available ÷ seats per day.
 */
import type { Forecast, HistoryPoint } from '../../common/model'

export const FORECAST_WINDOW_MS = 14 * 24 * 3_600_000
const DAY = 24 * 3_600_000
const MIN_SPAN_MS = DAY
const MIN_CHANGES = 2
const HORIZON_MS = 365 * DAY

export function forecast(points: HistoryPoint[], now: number): Forecast {
  const history = points.filter((p) => p.t <= now).sort((a, b) => a.t - b.t)
  const latest = history.at(-1)
  if (!latest) return { kind: 'not-enough-data' }
  if (latest.available <= 0) return { kind: 'out-now' }

  const steps = windowSteps(history, now)
  const spanMs = now - steps[0]!.t
  const changes = availableChanges(steps)
  if (spanMs < MIN_SPAN_MS) return { kind: 'not-enough-data' }
  if (changes === 0) return { kind: 'stable' }
  if (changes < MIN_CHANGES) return { kind: 'not-enough-data' }

  const perDay = stepSlope(steps, now) // seats per day, negative when seats are being taken
  const windowDays = spanMs / DAY
  if (perDay >= 0 || -perDay * windowDays < 1) return { kind: 'stable' }
  const untilOut = (latest.available / -perDay) * DAY
  if (untilOut > HORIZON_MS) return { kind: 'stable' }
  return { kind: 'runs-out', at: Math.round(now + untilOut), seatsPerDay: -perDay }
}

/**
 * The steps inside the window, the first one starting at the window's start: the value in force then, from the
 * last point at or before the start (or the first point after it, when history is younger than the window).
 */
function windowSteps(history: HistoryPoint[], now: number): HistoryPoint[] {
  let start = now - FORECAST_WINDOW_MS
  for (let i = history.length - 1; i > 0; i--) {
    if (history[i]!.purchased !== history[i - 1]!.purchased) {
      start = Math.max(start, history[i]!.t)
      break
    }
  }
  const firstInside = history.findIndex((p) => p.t > start)
  const inForce = firstInside === -1 ? history.length - 1 : firstInside - 1
  if (inForce < 0) return history.slice()
  return [{ ...history[inForce]!, t: start }, ...history.slice(inForce + 1)]
}

function availableChanges(steps: HistoryPoint[]): number {
  let changes = 0
  for (let i = 1; i < steps.length; i++) if (steps[i]!.available !== steps[i - 1]!.available) changes++
  return changes
}

/**
 * Least-squares slope of a step function f over [a, b], in seats per day:
 *   slope = ∫(t − t̄)·f(t) dt ÷ ∫(t − t̄)² dt, with t̄ the middle of [a, b] and the denominator (b − a)³ ⁄ 12.
 * Each step [s, e) with value v adds v·((e − t̄)² − (s − t̄)²) ⁄ 2 to the numerator. Times are in days from a,
 * which keeps the numbers small.
 */
function stepSlope(steps: HistoryPoint[], now: number): number {
  const a = steps[0]!.t
  const length = (now - a) / DAY
  const mid = length / 2
  let numerator = 0
  for (let i = 0; i < steps.length; i++) {
    const s = (steps[i]!.t - a) / DAY
    const e = i + 1 < steps.length ? (steps[i + 1]!.t - a) / DAY : length
    numerator += (steps[i]!.available * ((e - mid) ** 2 - (s - mid) ** 2)) / 2
  }
  return numerator / (length ** 3 / 12)
}
