/**
 * The readings a log holds, kept in time order in memory, and the questions the chart and the export ask of them.
 * Arrival order and time order differ only when the computer's clock was set back; keeping the columns sorted by
 * time (arrival order among equal times) means such a change can never make a query run backwards.
 */
import type { HistoryEvent, HistoryPoint, Snapshot } from '../../../common/model'
import { csvText } from '../text'

export class Timeline {
  private readonly readings: Snapshot[] = []

  get length(): number {
    return this.readings.length
  }

  get(index: number): Snapshot {
    return this.readings[index]!
  }

  /** Cheap for the usual case (time moves forward): a push. A reading from the past is slotted into place. */
  insert(reading: Snapshot): void {
    const last = this.readings[this.readings.length - 1]
    if (!last || last.at <= reading.at) this.readings.push(reading)
    else this.readings.splice(this.firstAfter(reading.at), 0, reading)
  }

  /** Index of the first reading later than `time` (the length when there is none). */
  firstAfter(time: number): number {
    let lo = 0
    let hi = this.readings.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.readings[mid]!.at <= time) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Index of the first reading at or after `time`. */
  firstAtOrAfter(time: number): number {
    let lo = 0
    let hi = this.readings.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.readings[mid]!.at < time) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Forgets the readings before `index`. */
  dropBefore(index: number): void {
    if (index > 0) this.readings.splice(0, index)
  }

  all(): readonly Snapshot[] {
    return this.readings
  }
}

/**
 * Where retention cuts: `retentionMs` before now, unless now is implausibly far past the newest reading — while
 * Seat Tray runs it writes one at least every heartbeat, so more than `longestGapMs` means a clock set ahead, or a
 * long time switched off, which look exactly the same. Then the kept period ends at the newest reading instead, so
 * a wrong clock never makes history old enough to delete (after a real absence, old readings stay a little longer:
 * a few kB). Gaps between readings count as they are: a file can't tell a clock jump there from a real absence.
 */
export function retentionCutoff(
  timeline: Timeline,
  now: number,
  retentionMs: number,
  longestGapMs: number,
): number {
  if (timeline.length === 0) return Number.NEGATIVE_INFINITY
  const newest = timeline.get(timeline.length - 1).at
  const end = now - newest > longestGapMs ? newest : now
  return end - retentionMs
}

/**
 * The step series between `from` and `to`, at most `maxPoints` long. It starts with the value in force at `from`
 * (so a chart never begins blank when the last change was earlier), may end with `tail` (the last reading seen,
 * which was not written because nothing had changed), and when there are too many readings keeps, per time
 * bucket, the ones with the fewest and the most seats available: an out-of-seats dip survives any zoom level.
 */
export function stepPoints(
  timeline: Timeline,
  tail: Snapshot | null,
  from: number,
  to: number,
  maxPoints: number,
): HistoryPoint[] {
  if (!(to >= from) || maxPoints < 1) return []
  const inForce = timeline.firstAfter(from) - 1
  const first = inForce + 1
  const end = timeline.firstAfter(to)
  const lastAt = timeline.length > 0 ? timeline.get(timeline.length - 1).at : Number.NEGATIVE_INFINITY
  const tailIncluded = tail !== null && tail.at > from && tail.at <= to && tail.at >= lastAt

  const out: HistoryPoint[] = []
  if (inForce >= 0) out.push(toPoint(timeline.get(inForce), from))
  const budget = Math.max(0, Math.floor(maxPoints) - out.length - (tailIncluded ? 1 : 0))
  const picked =
    end - first <= budget ? range(first, end) : minMaxPerBucket(timeline, first, end, from, to, budget)
  for (const index of picked) out.push(toPoint(timeline.get(index)))
  if (tailIncluded && out.length < maxPoints) out.push(toPoint(tail))
  return out.slice(0, Math.floor(maxPoints))
}

/** What the chart marks: seats running out, seats coming free, and the purchased count changing. */
export function seatEvents(timeline: Timeline, from: number, to: number): HistoryEvent[] {
  const events: HistoryEvent[] = []
  const end = timeline.firstAfter(to)
  for (let i = Math.max(1, timeline.firstAtOrAfter(from)); i < end; i++) {
    const before = timeline.get(i - 1)
    const now = timeline.get(i)
    if (before.purchased !== now.purchased) {
      events.push({
        t: now.at,
        kind: 'purchased-changed',
        label: `${before.purchased} → ${now.purchased} purchased`,
      })
    }
    if (before.available > 0 && now.available <= 0) {
      events.push({
        t: now.at,
        kind: 'ran-out',
        label: `No seats free (${now.active} of ${now.purchased} used)`,
      })
    } else if (before.available <= 0 && now.available > 0) {
      events.push({ t: now.at, kind: 'freed', label: `${plural(now.available, 'seat')} freed` })
    }
  }
  return events
}

/**
 * The readings from `from` to `to` as CSV: the value in force at `from` first (with the time it was read, which may
 * be before `from`), then every change. Heartbeats that repeat the previous reading are left out.
 */
export function changePointsCsv(timeline: Timeline, from: number, to: number, org?: string): string {
  // The org's name is text its admin chose: quoted and made inert (csvText), so it can neither add a row nor run as
  // a formula in the spreadsheet that opens the file.
  const orgCell = org === undefined ? '' : `${csvText(org)},`
  const rows = [`${org === undefined ? '' : 'org,'}time,purchased,active,available`]
  const inForce = timeline.firstAfter(from) - 1
  const end = timeline.firstAfter(to)
  for (let i = Math.max(0, inForce); i < end; i++) {
    const reading = timeline.get(i)
    const isFirstRow = i === Math.max(0, inForce)
    if (!isFirstRow && sameCounts(timeline.get(i - 1), reading)) continue
    rows.push(
      `${orgCell}${new Date(reading.at).toISOString()},${reading.purchased},${reading.active},${reading.available}`,
    )
  }
  return `${rows.join('\n')}\n`
}

/** The readings that differ from the one before them: what a log must preserve whatever else it drops. */
export function changePoints(readings: readonly Snapshot[]): Snapshot[] {
  return readings.filter((r, i) => i === 0 || !sameReading(readings[i - 1]!, r))
}

export function sameReading(a: Snapshot, b: Snapshot): boolean {
  return sameCounts(a, b) && a.mismatch === b.mismatch
}

function sameCounts(a: Snapshot, b: Snapshot): boolean {
  return a.purchased === b.purchased && a.active === b.active && a.available === b.available
}

/**
 * Splits [from, to] into equal time buckets, two points per bucket, and picks the readings with the fewest and
 * the most seats available in each, in time order. Empty buckets cost nothing.
 */
function minMaxPerBucket(
  timeline: Timeline,
  first: number,
  end: number,
  from: number,
  to: number,
  budget: number,
): number[] {
  const buckets = Math.floor(budget / 2)
  if (buckets === 0) return budget === 1 ? [fewestAvailable(timeline, first, end)] : []
  const width = (to - from) / buckets || 1
  const picked: number[] = []
  let i = first
  while (i < end) {
    const bucket = Math.min(buckets - 1, Math.floor((timeline.get(i).at - from) / width))
    const bucketEnd = from + (bucket + 1) * width
    let min = i
    let max = i
    for (; i < end && (timeline.get(i).at < bucketEnd || bucket === buckets - 1); i++) {
      if (timeline.get(i).available < timeline.get(min).available) min = i
      if (timeline.get(i).available > timeline.get(max).available) max = i
    }
    if (min === max) picked.push(min)
    else picked.push(Math.min(min, max), Math.max(min, max))
  }
  return picked
}

function fewestAvailable(timeline: Timeline, first: number, end: number): number {
  let min = first
  for (let i = first; i < end; i++) if (timeline.get(i).available < timeline.get(min).available) min = i
  return min
}

function toPoint(s: Snapshot, at = s.at): HistoryPoint {
  return { t: at, purchased: s.purchased, active: s.active, available: s.available }
}

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, k) => start + k)
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
