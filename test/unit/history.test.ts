import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../common/model'
import { DAY_MS, HistoryLog, HistoryStore, safeFileName } from '../../main/core/history'
import { Appender, encodeRecord, parseLog, readLog } from '../../main/core/history/log-file'
import { VirtualClock } from '../helpers/virtual-clock'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const START = Date.UTC(2026, 0, 5, 9)

let dir: string
let file: string
let clock: VirtualClock

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seat-history-'))
  file = join(dir, 'acct.jsonl')
  clock = new VirtualClock(START)
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function seats(at: number, purchased: number, active: number, mismatch = false): Snapshot {
  return { at, purchased, active, available: purchased - active, mismatch }
}

function linesOf(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean)
}

function open(options: Partial<Parameters<typeof HistoryLog.open>[0]> = {}): HistoryLog {
  return HistoryLog.open({ file, clock, ...options })
}

describe('recording seat readings', () => {
  it('writes the first reading, then nothing for 100 unchanged polls', () => {
    const log = open()
    expect(log.record(seats(START, 25, 20))).toBe(true)
    for (let i = 1; i <= 100; i++) expect(log.record(seats(START + i * MINUTE, 25, 20))).toBe(false)
    expect(linesOf(file)).toHaveLength(1)
  })

  it('writes a heartbeat once a day of unchanged polls has passed', () => {
    const log = open()
    log.record(seats(START, 25, 20))
    let writes = 0
    for (let t = START + 15 * MINUTE; t <= START + DAY_MS; t += 15 * MINUTE) {
      if (log.record(seats(t, 25, 20))) writes++
    }
    expect(writes).toBe(1)
    expect(linesOf(file)).toHaveLength(2)
    expect(JSON.parse(linesOf(file)[1]!)).toEqual({ t: START + DAY_MS, p: 25, a: 20, f: 5, m: 0 })
  })

  it('writes every change as one compact line, including a mismatch flag turning on', () => {
    const log = open()
    log.record(seats(START, 25, 20))
    log.record(seats(START + MINUTE, 25, 21))
    log.record(seats(START + 2 * MINUTE, 25, 21, true))
    expect(linesOf(file)).toEqual([
      `{"t":${START},"p":25,"a":20,"f":5,"m":0}`,
      `{"t":${START + MINUTE},"p":25,"a":21,"f":4,"m":0}`,
      `{"t":${START + 2 * MINUTE},"p":25,"a":21,"f":4,"m":1}`,
    ])
  })

  it('refuses a reading that could not be read back, so a bug elsewhere never damages the file', () => {
    const log = open()
    log.record(seats(START, 25, 20))
    expect(log.record({ ...seats(START + MINUTE, 25, 20), active: Number.NaN })).toBe(false)
    expect(log.record({ ...seats(Number.NaN, 25, 21) })).toBe(false)
    log.close()
    const reopened = open()
    expect(reopened.warnings).toEqual([])
    expect(reopened.latest()).toEqual(seats(START, 25, 20))
  })

  it('remembers the last reading seen even when it was not written', () => {
    const log = open()
    log.record(seats(START, 25, 20))
    log.record(seats(START + 5 * MINUTE, 25, 20))
    expect(log.latest()).toEqual(seats(START + 5 * MINUTE, 25, 20))
  })

  it('gives the same latest reading after closing and reopening', () => {
    const log = open()
    log.record(seats(START, 25, 20))
    log.record(seats(START + 5 * MINUTE, 25, 22))
    log.record(seats(START + 9 * MINUTE, 25, 22))
    const before = log.latest()
    log.close()
    expect(open().latest()).toEqual(before)
  })

  it('after a crash (no close) reopens with the last reading that was written', () => {
    const log = open()
    log.record(seats(START, 25, 20))
    log.record(seats(START + 5 * MINUTE, 25, 22))
    log.record(seats(START + 9 * MINUTE, 25, 22)) // unchanged: only in memory, lost with the process
    expect(open().latest()).toEqual(seats(START + 5 * MINUTE, 25, 22))
  })
})

describe('crash recovery and damaged files', () => {
  function writeThreeAndCrash(): void {
    const log = open()
    log.record(seats(START, 25, 20))
    log.record(seats(START + MINUTE, 25, 21))
    log.record(seats(START + 2 * MINUTE, 25, 22))
    // The process dies without close().
  }

  it('drops a torn last line, keeps the rest, and starts the next record on a fresh line', () => {
    writeThreeAndCrash()
    appendFileSync(file, '{"t":1767604000000,"p":2')
    const log = open()
    expect(log.warnings).toEqual([])
    expect(log.latest()).toEqual(seats(START + 2 * MINUTE, 25, 22))
    log.record(seats(START + 3 * MINUTE, 25, 23))
    const lines = linesOf(file)
    expect(lines).toHaveLength(4)
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
  })

  it('drops the zero bytes a power cut can leave at the end of a file', () => {
    writeThreeAndCrash()
    appendFileSync(file, Buffer.alloc(64))
    const log = open()
    expect(log.warnings).toEqual([])
    expect(log.points(START, START + HOUR, 100)).toHaveLength(3)
  })

  it('keeps a complete last record whose newline an editor removed, and adds the newline back', () => {
    writeThreeAndCrash()
    writeFileSync(file, readFileSync(file, 'utf8').trimEnd())
    const log = open()
    expect(log.warnings).toEqual([])
    expect(log.latest()).toEqual(seats(START + 2 * MINUTE, 25, 22))
    expect(readFileSync(file, 'utf8').endsWith('"m":0}\n')).toBe(true)
    expect(linesOf(file)).toHaveLength(3)
    log.record(seats(START + 3 * MINUTE, 25, 23))
    expect(linesOf(file).map((line) => JSON.parse(line).a)).toEqual([20, 21, 22, 23])
  })

  it('sets a file with no newline at all aside whole, never cutting it to nothing', () => {
    const binary = Buffer.from(
      Array.from({ length: 4096 }, (_, i) => (i * 7 + 1) % 256).filter((b) => b !== 0x0a),
    )
    writeFileSync(file, binary)
    const log = open()
    expect(log.warnings[0]).toMatch(/damaged.*set it aside/)
    const aside = readdirSync(dir).filter((name) => name.includes('.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!)).equals(binary)).toBe(true)
  })

  it('sets a 50 MB single line aside whole, even one that starts like a record', () => {
    // The worst case for the torn-tail rule: made only of characters a record has, so it looks unfinished.
    const line = Buffer.alloc(50 * 1024 * 1024, '1')
    line.write('{"t":')
    writeFileSync(file, line)
    const log = open()
    expect(log.warnings[0]).toMatch(/damaged.*set it aside/)
    const aside = readdirSync(dir).filter((name) => name.includes('.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!)).length).toBe(line.length)
  })

  it('reads a history longer than one read back whole, lines that straddle two reads included, and cuts only the torn end', () => {
    const records = Array.from({ length: 40_000 }, (_, i) =>
      encodeRecord(seats(START + i * MINUTE, 25, i % 25)),
    )
    const whole = records.join('')
    writeFileSync(file, `${whole}{"t":17676`)
    const parsed = readLog(file)
    expect(parsed).toEqual(parseLog(readFileSync(file)))
    expect(parsed.distrust).toBeNull()
    expect(parsed.readings).toHaveLength(40_000)
    expect(parsed.completeBytes).toBe(Buffer.byteLength(whole))
    expect(parsed.tornTail).toBe(true)
    open().close()
    expect(readFileSync(file, 'utf8')).toBe(whole)
  })

  it('sets a file aside whole when what follows its last newline is not the start of a record', () => {
    writeThreeAndCrash()
    const before = Buffer.concat([readFileSync(file), Buffer.from('\u0000PK\u0003\u0004 not a record')])
    writeFileSync(file, before)
    const log = open()
    expect(log.warnings[0]).toMatch(/damaged.*set it aside/)
    const aside = readdirSync(dir).filter((name) => name.includes('.corrupt-'))
    expect(readFileSync(join(dir, aside[0]!)).equals(before)).toBe(true)
  })

  it('skips an interrupted record an earlier crash left in the middle, and keeps the good lines', () => {
    writeFileSync(
      file,
      [
        `{"t":${START},"p":25,"a":20,"f":5,"m":0}`,
        `{"t":${START + MINUTE},"p":25,"a"`,
        `{"t":${START + 2 * MINUTE},"p":25,"a":22,"f":3,"m":0}`,
        '',
      ].join('\n'),
    )
    const log = open()
    expect(log.warnings).toEqual([])
    expect(log.points(START, START + HOUR, 100).map((p) => p.active)).toEqual([20, 22])
  })

  it('when a torn line cannot be cut off, the next record still starts on its own line and the file stays trusted', () => {
    writeFileSync(file, `{"t":${START},"p":25,"a":20,"f":5,"m":0}\n{"t":${START + MINUTE},"p":2`)
    const appender = Appender.open(file, true)
    appender.append(encodeRecord(seats(START + 2 * MINUTE, 25, 22)))
    appender.close()
    const parsed = parseLog(readFileSync(file))
    expect(parsed.distrust).toBeNull()
    expect(parsed.skippedLines).toBe(1)
    expect(parsed.readings.map((r) => r.active)).toEqual([20, 22])
  })

  it('sets a file with garbage in the middle aside, says so, and starts a fresh history', () => {
    const damaged = `{"t":${START},"p":25,"a":20,"f":5,"m":0}\nhello, I am not a record\n{"t":${START + MINUTE},"p":25,"a":21,"f":4,"m":0}\n`
    writeFileSync(file, damaged)
    const log = open()
    expect(log.warnings).toHaveLength(1)
    expect(log.warnings[0]).toMatch(/damaged.*set it aside as acct\.jsonl\.corrupt-2026-01-05T09-00-00-000Z/)
    expect(log.latest()).toBeNull()
    const aside = readdirSync(dir).filter((name) => name.includes('.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(damaged)

    log.record(seats(START + HOUR, 30, 20))
    expect(linesOf(file)).toEqual([`{"t":${START + HOUR},"p":30,"a":20,"f":10,"m":0}`])
  })

  it('does not trust a complete line with impossible values', () => {
    writeFileSync(file, `{"t":${START},"p":-3,"a":20,"f":5,"m":0}\n`)
    const log = open()
    expect(log.warnings[0]).toMatch(/set it aside/)
    expect(readdirSync(dir).some((name) => name.includes('.corrupt-'))).toBe(true)
  })

  it('never overwrites an earlier copy that was set aside', () => {
    writeFileSync(file, 'garbage\n')
    open()
    writeFileSync(file, 'more garbage\n')
    open()
    expect(readdirSync(dir).filter((name) => name.includes('.corrupt-'))).toHaveLength(2)
  })

  it('keeps history in memory, with a warning, when the folder cannot be created', () => {
    writeFileSync(join(dir, 'not-a-folder'), '')
    const log = HistoryLog.open({ file: join(dir, 'not-a-folder', 'acct.jsonl'), clock })
    expect(log.warnings[0]).toMatch(/in memory only/)
    expect(log.record(seats(START, 25, 20))).toBe(true)
    expect(log.record(seats(START + MINUTE, 25, 25))).toBe(true)
    expect(log.events(START, START + HOUR).map((e) => e.kind)).toEqual(['ran-out'])
  })

  it('keeps history in memory, with a warning, when the file cannot be read, and leaves the file alone', () => {
    const log = HistoryLog.open({ file: dir, clock }) // a folder where the file should be
    expect(log.warnings[0]).toMatch(/could not read/)
    expect(log.record(seats(START, 25, 20))).toBe(true)
    expect(log.latest()).toEqual(seats(START, 25, 20))
  })
})

describe('chart queries', () => {
  it('starts the series with the value in force at the start of the range', () => {
    const log = open()
    log.record(seats(START, 25, 20))
    log.record(seats(START + 10 * HOUR, 25, 24))
    expect(log.points(START + 5 * HOUR, START + 20 * HOUR, 100)).toEqual([
      { t: START + 5 * HOUR, purchased: 25, active: 20, available: 5 },
      { t: START + 10 * HOUR, purchased: 25, active: 24, available: 1 },
    ])
  })

  it('extends the series to the last reading seen, even an unwritten one', () => {
    const log = open()
    log.record(seats(START, 25, 20))
    log.record(seats(START + HOUR, 25, 20))
    expect(log.points(START, START + DAY_MS, 100).map((p) => p.t)).toEqual([START, START + HOUR])
  })

  it('keeps a short out-of-seats dip when a busy year is squeezed into a few hundred points', () => {
    const readings: Snapshot[] = []
    for (let i = 0; i < 20_000; i++) readings.push(seats(START + i * 20 * MINUTE, 30, 20 + (i % 7)))
    readings[12_345] = seats(readings[12_345]!.at, 30, 30) // twenty minutes with no seats free
    writeFileSync(file, readings.map(encodeRecord).join(''))
    const log = open({ retentionDays: 1000 })
    const points = log.points(START, START + 365 * DAY_MS, 300)
    expect(points.length).toBeLessThanOrEqual(300)
    expect(points.length).toBeGreaterThan(200)
    expect(points.some((p) => p.available === 0)).toBe(true)
    expect(Math.max(...points.map((p) => p.available))).toBe(10)
    expect(points.map((p) => p.t)).toEqual([...points.map((p) => p.t)].sort((a, b) => a - b))
  })

  it('marks seats running out, coming free, and the purchased count changing', () => {
    const log = open()
    log.record(seats(START, 25, 24))
    log.record(seats(START + HOUR, 25, 25))
    log.record(seats(START + 2 * HOUR, 30, 25))
    log.record(seats(START + 3 * HOUR, 30, 29))
    expect(log.events(START, START + DAY_MS)).toEqual([
      { t: START + HOUR, kind: 'ran-out', label: 'No seats free (25 of 25 used)' },
      { t: START + 2 * HOUR, kind: 'purchased-changed', label: '25 → 30 purchased' },
      { t: START + 2 * HOUR, kind: 'freed', label: '5 seats freed' },
    ])
    expect(log.events(START + 90 * MINUTE, START + DAY_MS).map((e) => e.kind)).toEqual([
      'purchased-changed',
      'freed',
    ])
  })

  it('builds the series for a range that ends now', async () => {
    const log = open()
    log.record(seats(START, 25, 20))
    await clock.advance(3 * DAY_MS)
    log.record(seats(clock.now() - HOUR, 25, 25))
    const series = log.series('acct', '24h')
    expect(series).toMatchObject({
      accountId: 'acct',
      range: '24h',
      from: clock.now() - DAY_MS,
      to: clock.now(),
    })
    expect(series.points.map((p) => p.available)).toEqual([5, 0])
    expect(series.events.map((e) => e.kind)).toEqual(['ran-out'])
  })

  it('exports the changes in a range as CSV with UTC times, without repeating heartbeats', () => {
    const log = open()
    log.record(seats(Date.UTC(2026, 0, 5, 9), 25, 20))
    log.record(seats(Date.UTC(2026, 0, 6, 9), 25, 20)) // heartbeat
    log.record(seats(Date.UTC(2026, 0, 6, 10, 30), 25, 25))
    log.record(seats(Date.UTC(2026, 0, 8, 12), 30, 25))
    expect(log.csv(Date.UTC(2026, 0, 6), Date.UTC(2026, 0, 7))).toBe(
      [
        'time,purchased,active,available',
        '2026-01-05T09:00:00.000Z,25,20,5',
        '2026-01-06T10:30:00.000Z,25,25,0',
        '',
      ].join('\n'),
    )
  })

  it('keeps queries in time order when the computer clock is set back', () => {
    const log = open()
    log.record(seats(START + 2 * HOUR, 25, 20))
    log.record(seats(START + 3 * HOUR, 25, 21))
    expect(log.record(seats(START + HOUR, 25, 21))).toBe(true) // clock went back: re-anchored
    log.record(seats(START + 90 * MINUTE, 25, 25))
    const times = log.points(START, START + DAY_MS, 100).map((p) => p.t)
    expect(times).toEqual([START + HOUR, START + 90 * MINUTE, START + 2 * HOUR, START + 3 * HOUR])
    const reopened = open()
    expect(reopened.points(START, START + DAY_MS, 100).map((p) => p.t)).toEqual(times)
    expect(reopened.latest()).toEqual(seats(START + 90 * MINUTE, 25, 25))
  })
})

describe('retention', () => {
  it('drops readings older than the retention period but keeps the value in force at the cut', async () => {
    const log = open({ retentionDays: 30 })
    for (let day = 0; day < 60; day++) log.record(seats(START + day * DAY_MS, 25, 10 + (day % 3)))
    await clock.advance(60 * DAY_MS + HOUR)
    log.prune()
    const cut = clock.now() - 30 * DAY_MS
    const lines = linesOf(file).map((line) => JSON.parse(line) as { t: number })
    expect(lines[0]!.t).toBe(cut - HOUR) // day 30's reading, still in force at the cut
    expect(lines.slice(1).every((r) => r.t >= cut)).toBe(true)
    expect(lines).toHaveLength(30)
    expect(log.points(cut, clock.now(), 500)[0]).toMatchObject({ t: cut, active: 10 + (30 % 3) })

    log.record(seats(clock.now(), 25, 5))
    const reopened = open({ retentionDays: 30 })
    expect(reopened.points(0, clock.now(), 500)).toEqual(log.points(0, clock.now(), 500))
  })

  it('applies a shorter retention as soon as the person changes it', async () => {
    const store = new HistoryStore({ dir, clock, retentionDays: 400 })
    const log = store.forAccount('org-1')
    for (let day = 0; day < 20; day++) log.record(seats(START + day * DAY_MS, 25, day))
    await clock.advance(20 * DAY_MS + HOUR)
    store.setRetentionDays(5)
    // Day 15's reading, still in force at the cut, then days 16 to 19.
    expect(linesOf(join(dir, 'org-1.jsonl')).map((l) => JSON.parse(l).a)).toEqual([15, 16, 17, 18, 19])
    store.closeAll()
  })

  it('prunes when opened, so a long-unused log does not keep old readings forever', async () => {
    const log = open({ retentionDays: 10 })
    for (let day = 0; day < 20; day++) log.record(seats(START + day * DAY_MS, 25, day))
    log.close()
    await clock.advance(20 * DAY_MS)
    open({ retentionDays: 10 })
    expect(linesOf(file).length).toBeLessThan(20)
  })
})

describe('a computer clock that is wrong', () => {
  /** 201 changes, one every 3.6 hours: 30 days of history. */
  function thirtyDaysOf201(): number {
    const step = (30 * DAY_MS) / 200
    const log = open({ retentionDays: 30 })
    for (let i = 0; i <= 200; i++) log.record(seats(START + i * step, 25, 10 + (i % 2)))
    log.close()
    return START + 200 * step
  }

  it('keeps all 201 records on a restart with the clock set 60 days ahead', () => {
    const newest = thirtyDaysOf201()
    clock = new VirtualClock(newest + 60 * DAY_MS)

    const wrong = open({ retentionDays: 30 })

    expect(linesOf(file)).toHaveLength(201)
    expect(wrong.points(0, clock.now(), 1000)).toHaveLength(201) // and the chart still has them all
    expect(wrong.warnings).toEqual([])
  })

  it('keeps all 201 records when the retention is changed while the clock is 60 days ahead', () => {
    const newest = thirtyDaysOf201()
    clock = new VirtualClock(newest + 60 * DAY_MS)
    const store = new HistoryStore({ dir, clock, retentionDays: 400 })
    store.forAccount('acct')
    store.setRetentionDays(30)
    expect(linesOf(file)).toHaveLength(201)
    store.closeAll()
  })

  it('with the clock right, still drops what is older than the retention period', () => {
    // 201 changes over 60 days, and a restart an hour after the last one.
    const step = (60 * DAY_MS) / 200
    const log = open({ retentionDays: 30 })
    for (let i = 0; i <= 200; i++) log.record(seats(START + i * step, 25, 10 + (i % 2)))
    log.close()
    const last = START + 200 * step
    clock = new VirtualClock(last + HOUR)

    open({ retentionDays: 30 })

    const cut = clock.now() - 30 * DAY_MS
    const times = linesOf(file).map((line) => (JSON.parse(line) as { t: number }).t)
    expect(times.slice(1).every((t) => t >= cut)).toBe(true)
    expect(times[0]).toBeLessThan(cut) // the value in force at the cut
    expect(times).toHaveLength(101)
  })
})

describe('one log per account', () => {
  it('gives each account its own file and the same log on every ask', () => {
    const store = new HistoryStore({ dir, clock })
    const a = store.forAccount('org-1')
    expect(store.forAccount('org-1')).toBe(a)
    a.record(seats(START, 25, 20))
    store.forAccount('org/2').record(seats(START, 10, 10))
    expect(readdirSync(dir).sort()).toEqual(['org%2F2.jsonl', 'org-1.jsonl'])
    store.closeAll()
  })

  it('collects the warnings of its logs for the window', () => {
    writeFileSync(join(dir, 'org-1.jsonl'), 'garbage\n')
    const store = new HistoryStore({ dir, clock })
    store.forAccount('org-1')
    expect(store.warnings()).toHaveLength(1)
  })

  it('names files safely and one-to-one, whatever the account id', () => {
    const ids = ['org-1', 'org_1', 'org.1', '../etc/passwd', 'con', 'CON', 'con%', '', 'Zoho ✓']
    const names = ids.map(safeFileName)
    expect(new Set(names).size).toBe(ids.length)
    for (const name of names) {
      expect(name).toMatch(/^[A-Za-z0-9_%-]+$/)
      expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i)
    }
  })
})
