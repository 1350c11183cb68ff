/**
 * History: our append-only change-point log against the naive baseline, an electron-store-style array kept with
 * `conf` and rewritten whole on every append. Measured side by side at 1, 10 000, 100 000 and 525 600 entries
 * (a year of one-minute polls): the cost of the Nth append, the cold load, and the size on disk.
 *
 * The baseline is quadratic, so it is never filled by appending: its file is written at each size once and a few
 * appends are timed there. Our log is filled the same way (the lines are exactly what `record` writes).
 */
import { closeSync, fsyncSync, openSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Conf from 'conf'
import type { Snapshot } from '../../common/model'
import { HistoryLog } from '../../main/core/history'
import { encodeRecord } from '../../main/core/history/log-file'
import type { Clock } from '../../main/core/ports'
import { median, type Report, round, timeOnce } from '../report'

const SIZES = [1, 10_000, 100_000, 525_600]
const YEAR_OF_MINUTES = 525_600
const MINUTE = 60_000
const START = Date.UTC(2026, 0, 1)

interface SizeResult {
  entries: number
  logAppendMs: number
  /** Our first appends, timed alternately with the Nth so both see the same disk and the same neighbours. */
  logFirstAppendMs: number
  confAppendMs: number
  logLoadMs: number
  confLoadMs: number
  logBytes: number
  confBytes: number
}

export async function run(report: Report): Promise<void> {
  const results: SizeResult[] = []
  for (const entries of SIZES) results.push(measureSize(report, entries))
  const realistic = measureRealisticYear(report)

  report.table(
    'History: cost of the Nth append and of a cold load (median ms), worst case: every one-minute poll changed',
    [
      'entries',
      'log 1st append',
      'log Nth append',
      'conf append',
      'log load',
      'conf load',
      'log size',
      'conf size',
    ],
    results.map((r) => [
      r.entries,
      round(r.logFirstAppendMs),
      round(r.logAppendMs),
      round(r.confAppendMs),
      round(r.logLoadMs),
      round(r.confLoadMs),
      kb(r.logBytes),
      kb(r.confBytes),
    ]),
  )
  report.table(
    'History: a year of one-minute polls where seats change a few times a day',
    ['polls', 'lines written', 'size', 'cold load ms', 'record() per poll ms'],
    [
      [
        YEAR_OF_MINUTES,
        realistic.lines,
        kb(realistic.bytes),
        round(realistic.loadMs),
        round(realistic.recordMsPerPoll),
      ],
    ],
  )

  for (const r of results) {
    const nthOverFirst = r.logAppendMs / r.logFirstAppendMs
    const baselineOverOurs = r.confAppendMs / r.logAppendMs
    report.figure({
      bench: 'history.append.nth-over-first',
      entries: r.entries,
      impl: 'log',
      ratio: round(nthOverFirst),
    })
    report.figure({
      bench: 'history.append.baseline-over-ours',
      entries: r.entries,
      ratio: round(baselineOverOurs),
    })
    report.note(
      `${r.entries} entries: our append is ${round(nthOverFirst)}× our first; conf's is ${round(baselineOverOurs)}× ours`,
    )
  }
  const year = results.at(-1)!
  report.target(
    'the 525 600th append costs within 2× of the first',
    year.logAppendMs <= 2 * year.logFirstAppendMs,
    `${round(year.logAppendMs)} ms vs ${round(year.logFirstAppendMs)} ms (medians, timed alternately)`,
  )
  report.target(
    "a year's log at a realistic change rate is under 1 MB",
    realistic.bytes < 1024 * 1024,
    `${kb(realistic.bytes)} in ${realistic.lines} lines`,
  )
  report.target(
    "a year's log at a realistic change rate loads cold in under 50 ms",
    realistic.loadMs < 50,
    `${round(realistic.loadMs)} ms`,
  )
}

/** Both implementations at one size: a file of `entries - 1` readings, then the next appends timed. */
function measureSize(report: Report, entries: number): SizeResult {
  const dir = report.scratchDir()
  const readings = everyMinuteChanging(entries - 1)
  const lastAt = readings.at(-1)?.at ?? START
  const clock = fixedClock(lastAt + MINUTE)
  const appends = entries >= 100_000 ? 3 : 9

  const logFile = join(dir, 'log.jsonl')
  writeDurably(logFile, readings.map(encodeRecord).join(''))
  const logLoadMs = median(repeat(3, () => timeOnce(() => HistoryLog.open({ file: logFile, clock }).close())))
  const log = HistoryLog.open({ file: logFile, clock })
  const fresh = HistoryLog.open({ file: join(dir, 'fresh.jsonl'), clock })
  const nth: number[] = []
  const firsts: number[] = []
  for (let i = 0; i < 31; i++) {
    const at = lastAt + (i + 1) * MINUTE
    nth.push(timeOnce(() => log.record(changed(at, entries - 1 + i))))
    firsts.push(timeOnce(() => fresh.record(changed(at, i))))
  }
  const logAppendMs = median(nth)
  const logFirstAppendMs = median(firsts)
  log.close()
  fresh.close()
  const logBytes = statSync(logFile).size

  const confDir = join(dir, 'conf')
  const confFile = prefillConf(confDir, readings)
  const confBytes = statSync(confFile).size
  const confLoadMs = median(
    repeat(appends === 3 ? 2 : 5, () => timeOnce(() => openConf(confDir).get('history'))),
  )
  const store = openConf(confDir)
  const confAppendMs = median(
    repeat(appends, (i) =>
      timeOnce(() =>
        store.set('history', [...store.get('history'), changed(lastAt + (i + 1) * MINUTE, entries - 1 + i)]),
      ),
    ),
  )

  for (const [impl, ms] of [
    ['log-first', logFirstAppendMs],
    ['log', logAppendMs],
    ['conf', confAppendMs],
  ] as const) {
    report.figure({ bench: 'history.append', entries, impl, ms: round(ms) })
  }
  report.figure({ bench: 'history.load', entries, impl: 'log', ms: round(logLoadMs) })
  report.figure({ bench: 'history.load', entries, impl: 'conf', ms: round(confLoadMs) })
  report.figure({ bench: 'history.bytes', entries, impl: 'log', bytes: logBytes })
  report.figure({ bench: 'history.bytes', entries, impl: 'conf', bytes: confBytes })
  return { entries, logAppendMs, logFirstAppendMs, confAppendMs, logLoadMs, confLoadMs, logBytes, confBytes }
}

/**
 * A year of one-minute polls through `record`, as the app does it: seats change four times on a working day, at
 * random minutes of office hours, and the log adds its daily heartbeat. Then the file is loaded cold.
 */
function measureRealisticYear(report: Report) {
  const dir = report.scratchDir()
  const file = join(dir, 'year.jsonl')
  const end = START + YEAR_OF_MINUTES * MINUTE
  const log = HistoryLog.open({ file, clock: fixedClock(end) })
  const random = seededRandom(2026)
  let active = 20
  let changeMinutes = changeMinutesOf(random)
  const recordMs = timeOnce(() => {
    for (let minute = 0; minute < YEAR_OF_MINUTES; minute++) {
      const minuteOfDay = minute % 1440
      if (minuteOfDay === 0) changeMinutes = changeMinutesOf(random)
      if (changeMinutes.has(minuteOfDay))
        active = Math.min(25, Math.max(15, active + (random() < 0.5 ? -1 : 1)))
      log.record({
        at: START + minute * MINUTE,
        purchased: 25,
        active,
        available: 25 - active,
        mismatch: false,
      })
    }
  })
  log.close()
  const lines = HistoryLog.open({ file, clock: fixedClock(end) }).points(
    0,
    end,
    Number.MAX_SAFE_INTEGER,
  ).length
  const bytes = statSync(file).size
  const loadMs = median(
    repeat(7, () => timeOnce(() => HistoryLog.open({ file, clock: fixedClock(end) }).close())),
  )
  report.figure({ bench: 'history.year.realistic', impl: 'log', lines, bytes, ms: round(loadMs) })
  report.figure({ bench: 'history.record.per-poll', impl: 'log', ms: round(recordMs / YEAR_OF_MINUTES) })
  return { lines, bytes, loadMs, recordMsPerPoll: recordMs / YEAR_OF_MINUTES }
}

/** Four minutes between 09:00 and 17:00 on a weekday-like day; none on two days in seven. */
function changeMinutesOf(random: () => number): Set<number> {
  const minutes = new Set<number>()
  if (random() < 2 / 7) return minutes
  while (minutes.size < 4) minutes.add(9 * 60 + Math.floor(random() * 8 * 60))
  return minutes
}

function everyMinuteChanging(count: number): Snapshot[] {
  return Array.from({ length: count }, (_, i) => changed(START + i * MINUTE, i))
}

/** A reading that differs from its neighbours, so every append is a change point. */
function changed(at: number, i: number): Snapshot {
  const active = 15 + (i % 10)
  return { at, purchased: 25, active, available: 25 - active, mismatch: false }
}

/** electron-store's way: one JSON document (conf's tab-indented format) holding the whole array. */
function prefillConf(dir: string, readings: Snapshot[]): string {
  const store = openConf(dir)
  writeDurably(store.path, JSON.stringify({ history: readings }, undefined, '\t'))
  return store.path
}

function openConf(dir: string): Conf<{ history: Snapshot[] }> {
  return new Conf<{ history: Snapshot[] }>({
    cwd: dir,
    configName: 'history',
    projectName: 'seat-tray-bench',
    defaults: { history: [] },
  })
}

/** Prefilled files are flushed before timing starts, so no timed append pays for flushing them. */
function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'w')
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function fixedClock(now: number): Clock {
  return { now: () => now, monotonicNow: () => 0, setTimeout: () => 0, clearTimeout: () => {} }
}

function repeat(times: number, measure: (i: number) => number): number[] {
  return Array.from({ length: times }, (_, i) => measure(i))
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`
}
