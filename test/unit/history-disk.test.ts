/**
 * The history log when the disk itself is the fault: a real small tmpfs, filled to its last few kB or turned
 * read-only. Records are counted on the disk before and after; none may go.
 */
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DAY_MS, HistoryLog } from '../../main/core/history'
import { encodeRecord, parseLog } from '../../main/core/history/log-file'
import { mountSmallDisk, type SmallDisk, smallDiskUnavailable } from '../helpers/small-disk'
import { VirtualClock } from '../helpers/virtual-clock'

const START = Date.UTC(2026, 0, 5, 9)
const HALF_HOUR = 30 * 60_000

const unavailable = smallDiskUnavailable()
if (unavailable) console.warn(`history-disk tests did not run: ${unavailable}`)

/** Records on the disk, as the app would read them back. */
function recordsOn(file: string): number {
  return parseLog(readFileSync(file)).readings.length
}

/** `count` readings half an hour apart from START, each a change (active goes 10, 11, 12, 10…). */
function historyOf(count: number): string {
  let text = ''
  for (let i = 0; i < count; i++) {
    text += encodeRecord({
      at: START + i * HALF_HOUR,
      purchased: 25,
      active: 10 + (i % 3),
      available: 15 - (i % 3),
      mismatch: false,
    })
  }
  return text
}

// On CI a missing tmpfs fails loudly (the mount throws); elsewhere it is said above and the tests are not run.
describe.skipIf(unavailable !== null && !process.env.CI)('history on a nearly full disk', () => {
  let disk: SmallDisk
  let file: string

  beforeEach(() => {
    disk = mountSmallDisk(512 * 1024)
    file = join(disk.dir, 'acct.jsonl')
  })
  afterEach(() => {
    disk.unmount()
  })

  it('keeps every record when the disk fills during history cleanup, and says cleanup was skipped', async () => {
    const sixtyDays = 60 * 48 // a change every half hour for 60 days
    writeFileSync(file, historyOf(sixtyDays))
    const before = readFileSync(file)
    const filler = disk.fillLeaving(8 * 1024) // the cleaned copy needs about 70 kB

    const clock = new VirtualClock(START + 60 * DAY_MS)
    const log = HistoryLog.open({ file, clock, retentionDays: 30 })

    expect(readFileSync(file).equals(before)).toBe(true)
    expect(recordsOn(file)).toBe(sixtyDays)
    expect(readdirSync(disk.dir).filter((name) => name.includes('.tmp'))).toEqual([])
    expect(log.warnings).toEqual([
      'History cleanup was skipped: the disk is full; nothing was lost. Seat Tray will try again at the next start.',
    ])
    // The log carries on: a new reading still lands in the (old, whole) file.
    log.record({ at: clock.now(), purchased: 25, active: 20, available: 5, mismatch: false })
    log.close()
    expect(recordsOn(file)).toBe(sixtyDays + 1)

    // Once there is room again, the next start tidies up as it should.
    unlinkSync(filler)
    const later = HistoryLog.open({ file, clock, retentionDays: 30 })
    expect(later.warnings).toEqual([])
    const kept = parseLog(readFileSync(file)).readings
    expect(kept.length).toBe(30 * 48 + 1) // 30 days of changes (the first one is the value at the cut), the new one
    expect(kept.at(-1)?.active).toBe(20)
  })

  it('keeps every record it acknowledged when the disk fills while recording, and says the disk is full', () => {
    const clock = new VirtualClock(START)
    const log = HistoryLog.open({ file, clock, retentionDays: 400 })
    const reading = (i: number) => ({
      at: START + i * HALF_HOUR,
      purchased: 25,
      active: 10 + (i % 3),
      available: 15 - (i % 3),
      mismatch: false,
    })
    for (let i = 0; i < 10; i++) log.record(reading(i))
    const filler = disk.fillLeaving(0)
    let acknowledged = 10
    for (let i = 10; i < 5000 && log.warnings.length === 0; i++) {
      log.record({
        at: START + i * HALF_HOUR,
        purchased: 25,
        active: 10 + (i % 3),
        available: 15 - (i % 3),
        mismatch: false,
      })
      if (log.warnings.length === 0) acknowledged++
    }
    expect(log.warnings).toEqual([
      'Seat Tray could not save seat history: the disk is full. New readings are kept in memory only until it restarts.',
    ])
    log.close()
    const parsed = parseLog(readFileSync(file))
    expect(parsed.distrust).toBeNull()
    expect(parsed.readings).toHaveLength(acknowledged)
    expect(acknowledged).toBeGreaterThanOrEqual(10)

    // Room again: the next start cuts the part of a line the full disk took, and carries on with every record.
    unlinkSync(filler)
    const later = HistoryLog.open({ file, clock, retentionDays: 400 })
    expect(later.warnings).toEqual([])
    expect(later.points(0, START + 5000 * HALF_HOUR, 100_000)).toHaveLength(acknowledged)
    later.close()
  })

  it('on a read-only disk keeps the whole file and says the disk is read-only', () => {
    writeFileSync(file, historyOf(60 * 48))
    const before = readFileSync(file)
    disk.readOnly()
    try {
      const log = HistoryLog.open({ file, clock: new VirtualClock(START + 60 * DAY_MS), retentionDays: 30 })
      // Nothing is written, cleanup included, so the only notice is the one that says why.
      expect(log.warnings).toEqual([
        'Seat Tray could not open its seat history for writing: the disk is read-only. History is kept in memory only.',
      ])
      expect(readFileSync(file).equals(before)).toBe(true)
    } finally {
      disk.writable()
    }
  })
})
