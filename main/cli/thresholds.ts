/**
 * `-w` and `-c` for free seats: the monitoring-plugins range syntax `[@]start:end` with its standard meaning, plus
 * the plain whole number this command always took ("WARNING when free ≤ N"), kept for existing service definitions.
 * The perfdata always carries the range that means what was decided, so graphers colour the same values we alert on.
 */
import { singleLine } from '../core/text'
import { UsageError } from './usage'

export interface Threshold {
  /** True when `free` should raise this alert. */
  alerts(free: number): boolean
  /** The same rule in range syntax, for perfdata. */
  readonly range: string
}

interface Range {
  start: number
  end: number
  inside: boolean
}

const NUMBER = /^-?\d+(\.\d+)?$/

/**
 * `5` (legacy: alert when free ≤ 5, range `6:`), `5:`, `~:10`, `10:20`, `@0:1`.
 * A plain integer is the legacy form on purpose: the standard reading of `5` ("alert above 5") makes no sense for
 * free seats, where fewer is worse.
 */
export function parseThreshold(text: string, flag: string): Threshold {
  const value = text.trim()
  if (/^\d+$/.test(value)) {
    const n = Number(value)
    return fromRange({ start: n + 1, end: Number.POSITIVE_INFINITY, inside: false })
  }
  const m = /^(@?)(~|-?\d+(?:\.\d+)?)?:(-?\d+(?:\.\d+)?)?$/.exec(value)
  if (!m || (m[2] === undefined && m[3] === undefined && value !== ':')) {
    throw new UsageError(
      `${flag} "${singleLine(text, 40)}" is neither a whole number (alert when free seats ≤ N) nor a range such as 5:, ~:10, 10:20 or @0:1`,
    )
  }
  const start = m[2] === undefined ? 0 : m[2] === '~' ? Number.NEGATIVE_INFINITY : Number(m[2])
  const end = m[3] === undefined ? Number.POSITIVE_INFINITY : Number(m[3])
  if (start > end) throw new UsageError(`${flag} "${value}": the start of a range must not be above its end`)
  return fromRange({ start, end, inside: m[1] === '@' })
}

function fromRange(r: Range): Threshold {
  const within = (v: number) => v >= r.start && v <= r.end
  return {
    alerts: (free) => (r.inside ? within(free) : !within(free)),
    range: formatRange(r),
  }
}

function formatRange(r: Range): string {
  const end = r.end === Number.POSITIVE_INFINITY ? '' : String(r.end)
  if (r.start === 0 && end !== '' && !r.inside) return end
  const start = r.start === Number.NEGATIVE_INFINITY ? '~' : String(r.start)
  return `${r.inside ? '@' : ''}${start}:${end}`
}

/**
 * Refuses a critical threshold that alerts on every value the warning one does: WARNING could then never show.
 * Free seats are whole numbers ≥ 0, and both rules only change truth at their ends, so checking each end and its
 * neighbours (and one value past them all) covers every case.
 */
export function checkWarningPossible(warning: Threshold, critical: Threshold, names: [string, string]): void {
  const ends = [warning.range, critical.range]
    .flatMap((r) => r.replace('@', '').split(':'))
    .filter((s) => NUMBER.test(s))
    .map(Number)
  const candidates = new Set<number>([0])
  for (const e of ends)
    for (const v of [Math.floor(e) - 1, Math.floor(e), Math.ceil(e), Math.ceil(e) + 1]) {
      if (v >= 0) candidates.add(v)
    }
  candidates.add(Math.max(0, ...ends.map(Math.ceil)) + 2)
  const possible = [...candidates].some((v) => warning.alerts(v) && !critical.alerts(v))
  if (!possible) {
    throw new UsageError(
      `${names[1]} alerts on every free-seat count that ${names[0]} does, so WARNING could never show: make the critical threshold stricter than the warning one (e.g. -w 5 -c 2)`,
    )
  }
}
