/**
 * `kill -9` in the middle of a rewrite, for real: a child process rewrites a file in a loop until it is killed,
 * then the app starts again. After the start no temp file is left, and the file is one version whole, never torn.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HistoryLog } from '../../main/core/history'
import { parseLog } from '../../main/core/history/log-file'
import { readJsonFile } from '../../main/core/json-file'
import { VirtualClock } from '../helpers/virtual-clock'

/** Kill until this many kills landed while a temp file existed (about one in three does here), at most MAX_KILLS. */
const MID_WRITE_KILLS = 2
const MAX_KILLS = 30
const START = Date.UTC(2026, 0, 5, 9)

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seat-kill-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function temps(): string[] {
  return readdirSync(dir).filter((name) => name.includes('.tmp'))
}

/** Starts `body` (a module that rewrites in a loop) in a child, lets it write for a moment, then kills it with SIGKILL. */
async function killMidWrite(body: string): Promise<void> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', body],
    {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  // The child says when its first version is on disk, so the kill lands in a later rewrite.
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`the writer exited early (${code})`)))
  })
  await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 80))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

describe('a rewrite killed with kill -9', { timeout: 90_000 }, () => {
  it('leaves no temp file after the next start, and the state file is one whole version', async () => {
    const file = join(dir, 'state.json')
    const writer = `
      import { writeJsonFileAtomic } from './main/core/json-file.ts'
      const pad = 'x'.repeat(2_000_000)
      for (let version = 0; ; version++) {
        writeJsonFileAtomic(${JSON.stringify(file)}, { version, pad })
        if (version === 0) process.stdout.write('ready\\n')
      }
    `
    let midWriteKills = 0
    let kills = 0
    for (; kills < MAX_KILLS && midWriteKills < MID_WRITE_KILLS; kills++) {
      await killMidWrite(writer)
      if (temps().length > 0) midWriteKills++

      const read = readJsonFile(file) // what the app does first with each state file at start

      expect(temps()).toEqual([])
      expect(read.kind).toBe('ok')
      const value = (read as { value: { version: number; pad: string } }).value
      expect(Number.isInteger(value.version)).toBe(true)
      expect(value.pad).toHaveLength(2_000_000)
    }
    // The kills did land mid-write, so the start had temp files to clean.
    expect(midWriteKills).toBe(MID_WRITE_KILLS)
  })

  it('leaves no temp file after the next start, and the history file is the old or the new version', async () => {
    const file = join(dir, 'acct.jsonl')
    // Two versions that differ in length: 40 000 and 30 000 records, as a cleanup would leave them.
    const writer = `
      import { encodeRecord, rewriteAtomically } from './main/core/history/log-file.ts'
      const version = (n) => Array.from({ length: n }, (_, i) =>
        encodeRecord({ at: ${START} + i * 60000, purchased: 25, active: i % 25, available: 25 - (i % 25), mismatch: false }))
      const versions = [version(40000), version(30000)]
      for (let turn = 0; ; turn++) {
        rewriteAtomically(${JSON.stringify(file)}, versions[turn % 2])
        if (turn === 0) process.stdout.write('ready\\n')
      }
    `
    let midWriteKills = 0
    let kills = 0
    for (; kills < MAX_KILLS && midWriteKills < MID_WRITE_KILLS; kills++) {
      await killMidWrite(writer)
      if (temps().length > 0) midWriteKills++

      const log = HistoryLog.open({
        file,
        clock: new VirtualClock(START + 40000 * 60000),
        retentionDays: 400,
      })
      log.close()

      expect(temps()).toEqual([])
      expect(log.warnings).toEqual([])
      const parsed = parseLog(readFileSync(file))
      expect(parsed.distrust).toBeNull()
      expect(parsed.tornTail).toBe(false)
      expect([40000, 30000]).toContain(parsed.readings.length)
    }
    expect(midWriteKills).toBe(MID_WRITE_KILLS)
  })

  it('removes only its own stale temp files: not a live process’s, not a file it does not make', () => {
    const file = join(dir, 'state.json')
    writeFileSync(file, '{}\n')
    const gone = join(dir, 'state.json.tmp-2147483646') // no such process
    const live = join(dir, `state.json.tmp-${process.ppid}`) // the process that started this one: alive
    const notOurs = join(dir, 'state.json.tmp-notes')
    const otherFile = join(dir, 'other.json.tmp-2147483646')
    for (const path of [gone, live, notOurs, otherFile]) writeFileSync(path, 'partial')

    readJsonFile(file)

    expect(existsSync(gone)).toBe(false)
    expect(existsSync(live)).toBe(true)
    expect(existsSync(notOurs)).toBe(true)
    expect(existsSync(otherFile)).toBe(true)
  })
})
