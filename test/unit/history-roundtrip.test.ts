import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../common/model'
import { DAY_MS, HistoryLog } from '../../main/core/history'
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

function dropRepeats<T extends { purchased: number; active: number; available: number }>(rows: T[]): T[] {
  return rows.filter(
    (r, i) =>
      i === 0 ||
      r.purchased !== rows[i - 1]!.purchased ||
      r.active !== rows[i - 1]!.active ||
      r.available !== rows[i - 1]!.available,
  )
}
