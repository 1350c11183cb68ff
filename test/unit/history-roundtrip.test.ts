import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../common/model'
import { DAY_MS, HistoryLog } from '../../main/core/history'
import { LogParser, parseLog } from '../../main/core/history/log-file'
import { changePoints } from '../../main/core/history/timeline'
import { VirtualClock } from '../helpers/virtual-clock'

const START = Date.UTC(2026, 0, 5, 9)
const dir = mkdtempSync(join(tmpdir(), 'seat-history-prop-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let run = 0
function freshFile(): string {
  return join(dir, `log-${run++}.jsonl`)
}

/** Polls a few minutes to two days apart, with seat counts that often repeat, sometimes run out, and sometimes flag a mismatch. */
const polls = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 1, max: 2 * DAY_MS }),
      purchased: fc.integer({ min: 0, max: 4 }),
      active: fc.integer({ min: 0, max: 4 }),
      mismatch: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map((steps) => {
    let at = START
    return steps.map(({ gap, purchased, active, mismatch }): Snapshot => {
      at += gap
      return { at, purchased, active, available: purchased - active, mismatch }
    })
  })

function everything(log: HistoryLog, until: number) {
  return log.points(0, until, 1_000_000)
}

describe('history survives a restart', () => {
  it('any sequence of readings reopens to the same change points and the same chart', () => {
    fc.assert(
      fc.property(polls, fc.boolean(), (readings, closedCleanly) => {
        const clock = new VirtualClock(START)
        const file = freshFile()
        const log = HistoryLog.open({ file, clock })
        for (const r of readings) log.record(r)
        const until = (readings.at(-1)?.at ?? START) + 1
        const before = everything(log, until)
        if (closedCleanly) log.close()

        const reopened = HistoryLog.open({ file, clock })
        expect(reopened.warnings).toEqual([])
        const expectedChanges = changePoints(readings).map(({ mismatch: _, ...counts }) => counts)
        const reopenedChanges = changePoints(
          everything(reopened, until).map((p) => ({ ...p, at: p.t, mismatch: false })),
        ).map(({ at, purchased, active, available }) => ({ at, purchased, active, available }))
        // Mismatch flips are change points too, but the chart does not show them: compare counts only.
        expect(dropRepeats(reopenedChanges)).toEqual(dropRepeats(expectedChanges))
        if (closedCleanly) {
          expect(everything(reopened, until)).toEqual(before)
          expect(reopened.latest()).toEqual(readings.at(-1) ?? null)
        }
        expect(reopened.events(0, until)).toEqual(log.events(0, until))
        reopened.close()
      }),
      { numRuns: 60 },
    )
  })
})

describe('a history file read in pieces', () => {
  it('parses the same however the reads split it, torn ends, zero bytes and stray text included', () => {
    const piece = fc.constantFrom(
      `{"t":${START},"p":25,"a":20,"f":5,"m":0}\n`,
      `{"t":${START + 1},"p":25,"a":21,"f":4,"m":1}`,
      '{"t":17',
      '\u0000\u0000',
      '\n',
      'x',
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 6 }), (parts, cuts) => {
        const bytes = Buffer.from(parts.join(''))
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
        const parser = new LogParser()
        let from = 0
        for (const to of [...at, bytes.length]) {
          if (!parser.feed(bytes.subarray(from, to))) break
          from = to
        }
        const inPieces = parser.end()
        const whole = parseLog(bytes)
        if (whole.distrust) expect(inPieces.distrust).toBe(whole.distrust)
        else expect(inPieces).toEqual(whole)
      }),
      { numRuns: 300 },
    )
  })
})

function dropRepeats<T extends { purchased: number; active: number; available: number }>(rows: T[]): T[] {
  return rows.filter(
    (r, i) =>
      i === 0 ||
      r.purchased !== rows[i - 1]!.purchased ||
      r.active !== rows[i - 1]!.active ||
      r.available !== rows[i - 1]!.available,
  )
}
