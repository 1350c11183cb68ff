/**
 * The fault matrix: every fault the adversarial trial found (issue 8), in the words of the person it hurt, with the
 * test that holds it. This file fails when a guarding test is renamed, removed or skipped, so the list stays true;
 * the behaviour itself is asserted in the test named (over real loopback HTTP, a real tmpfs, a real kill -9).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

interface Fault {
  /** What the person saw, in their words. */
  seen: string
  file: string
  /** The guarding test's title as written (a template's fixed start for it.each / template titles). */
  test: string
}

const FAULTS: Record<number, Fault[]> = {
  1: [
    {
      seen: 'Zoho said "try again in a month" and the app asked it 650 times a second',
      file: 'test/integration/hostile-zoho.test.ts',
      test: 'asks Zoho a handful of times a day, not hundreds a second, when Zoho says Retry-After: a month',
    },
    {
      seen: 'a timer longer than 24.9 days fired after 1 ms',
      file: 'test/unit/system-clock.test.ts',
      test: 'does not fire a month-long timer within 50 ms (Node alone fires it after 1 ms)',
    },
  ],
  2: [
    {
      seen: 'history cleanup on a nearly full disk lost the newest 341 records',
      file: 'test/unit/history-disk.test.ts',
      test: 'keeps every record when the disk fills during history cleanup, and says cleanup was skipped',
    },
  ],
  3: [
    {
      seen: 'a clock set two months ahead deleted the history for good',
      file: 'test/unit/history.test.ts',
      test: 'keeps all 201 records on a restart with the clock set 60 days ahead',
    },
  ],
  4: [
    {
      seen: 'a proxy’s page or an empty answer stopped the checks for a day and asked me to sign in',
      file: 'test/integration/hostile-zoho.test.ts',
      // A template title: its placeholder is written as in the source.
      test: ['keeps checking with backoff after $', '{what}, and never asks anyone to sign in'].join(''),
    },
    {
      seen: 'one answer from Zoho halted the checks',
      file: 'test/integration/hostile-zoho.test.ts',
      test: 'stops checking only after the same answer on two checks in a row, and asks to sign in once',
    },
  ],
  5: [
    {
      seen: 'signing in again while the disk was full silently stopped the account',
      file: 'test/headless/disk-refuses.test.ts',
      test: 'keeps the old sign-in checking, gives the new token back to Zoho, and says the disk is full',
    },
  ],
  6: [
    {
      seen: 'a gzip bomb took 3.5 GB of memory',
      file: 'test/integration/bounded-answers.test.ts',
      test: 'stops reading a 4 MB gzip bomb at 1 MiB inflated, with little memory, and says it was too large',
    },
  ],
  7: [
    {
      seen: 'a history file with no newline at all became 0 bytes',
      file: 'test/unit/history.test.ts',
      test: 'sets a file with no newline at all aside whole, never cutting it to nothing',
    },
    {
      seen: 'an editor removed the last newline and the last record was lost',
      file: 'test/unit/history.test.ts',
      test: 'keeps a complete last record whose newline an editor removed, and adds the newline back',
    },
  ],
  8: [
    {
      seen: 'a token throttle plus a clock set back stalled the checks for a day',
      file: 'test/integration/hostile-zoho.test.ts',
      test: 'checks again after Zoho’s 15-minute token throttle, not a day later, when the clock is set back a day',
    },
  ],
  9: [
    {
      seen: 'one stray local request ended the browser sign-in',
      file: 'test/unit/browser-auth.test.ts',
      test: 'keeps waiting through stray requests (wrong state, no state, another Host, another path) and signs in with the real redirect',
    },
  ],
  10: [
    {
      seen: 'the window could make the app open a file per made-up account',
      file: 'test/headless/window-input.test.ts',
      test: '900 random ids from the window create no file, open no descriptor, add no notice and ask Zoho nothing',
    },
  ],
  11: [
    {
      seen: 'a setting that could not be saved stayed in force until the restart undid it',
      file: 'test/headless/disk-refuses.test.ts',
      test: 'keeps the settings in force, the schedule and the state unchanged, and says the disk is full',
    },
  ],
  12: [
    {
      seen: 'temp files piled up after crashes',
      file: 'test/unit/kill-mid-write.test.ts',
      test: 'leaves no temp file after the next start, and the state file is one whole version',
    },
  ],
  13: [
    {
      seen: 'an API host on any port was trusted',
      file: 'test/unit/datacenters.test.ts',
      test: 'holds Zoho’s accounts servers and API hosts to one rule: the default https port only',
    },
  ],
  14: [
    {
      seen: 'an org name with a line break added lines to the tooltip',
      file: 'test/unit/hostile-names.test.ts',
      test: 'with %s adds no line to the tooltip and keeps the seat numbers',
    },
    {
      seen: 'an org name forged a status line and perfdata for the monitoring',
      file: 'test/integration/cli.test.ts',
      test: 'adds the org, the time of the check, the data center and the thresholds with -v',
    },
  ],
  15: [
    {
      seen: 'a broken answer told me to check the internet connection',
      file: 'test/integration/bounded-answers.test.ts',
      test: 'says a malformed chunked body arrived broken, not that the internet is down',
    },
    {
      seen: 'a full disk was blamed on Zoho',
      file: 'test/unit/atomic-writes.test.ts',
      test: 'a settings change the full disk refused comes back as the disk’s problem, not as a Zoho answer',
    },
  ],
  16: [
    {
      seen: 'a real sign-in during the demo trusted a loopback page',
      file: 'test/headless/demo-policy.test.ts',
      test: 'refuses the loopback accounts server the demo’s own sign-in may use',
    },
  ],
  // Also owed: power loss keeps the old or the new version of every file the app writes.
  17: [
    {
      seen: 'a power cut while saving settings left them half written',
      file: 'test/unit/atomic-writes.test.ts',
      test: 'keeps a whole file when the disk takes only part of the new one',
    },
  ],
}

describe('the fault matrix', () => {
  it('names a guard for every one of the 16 faults found, and for power loss', () => {
    expect(Object.keys(FAULTS).map(Number)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1))
  })

  for (const [n, faults] of Object.entries(FAULTS)) {
    for (const fault of faults) {
      it(`fault ${n}: "${fault.seen}" is guarded by a test that runs`, () => {
        const source = readFileSync(fault.file, 'utf8')
        const at = source.indexOf(fault.test)
        expect(at, `${fault.file} has no test titled “${fault.test}”`).toBeGreaterThan(-1)
        const line = source.slice(source.lastIndexOf('\n', at) + 1, at)
        // The title opens an it(…) or it.each(…)(…) call: not a comment, a describe, or a skipped or todo test.
        expect(line).toMatch(/\bit(\.each\(.*\))?\(\s*['"`]$|\)\(\s*['"`]$/)
        expect(line).not.toMatch(/\.(skip|todo|fails)\b/)
      })
    }
  }
})
