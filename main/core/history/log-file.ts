/**
 * The history file on disk: append-only JSONL, one compact record per line, `{"t":…,"p":25,"a":20,"f":5,"m":0}`
 * (time, purchased, active, free/available, mismatch). This module knows the format, how to read it back after a
 * crash, and when a file can no longer be trusted. It does no policy about what gets written.
 */
import { closeSync, existsSync, fdatasyncSync, openSync, readSync, unlinkSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Snapshot } from '../../../common/model'
import { flushFolder, writeAll, writeFileAtomic } from '../atomic-file'

export { errorCode } from '../atomic-file'

/** One line of the file, newline included. */
export function encodeRecord(s: Snapshot): string {
  return `{"t":${s.at},"p":${s.purchased},"a":${s.active},"f":${s.available},"m":${s.mismatch ? 1 : 0}}\n`
}

export interface ParsedLog {
  /** The readings in file (arrival) order. */
  readings: Snapshot[]
  /** Bytes up to and including the last newline: what remains once a torn last line is cut off. */
  completeBytes: number
  /** A last line without its newline that is an unfinished record of ours: the one being written. Dropped. */
  tornTail: boolean
  /** The last line is a complete record whose newline is missing (an editor removed it): kept, newline owed. */
  missingNewline: boolean
  /** Interrupted records found before the last line (left by a crash when the tail could not be cut). Skipped. */
  skippedLines: number
  /** Why the file cannot be trusted, or null when it can. */
  distrust: string | null
}

/**
 * No line of ours is longer: a record is under 100 bytes, and a power cut zero-fills at most about a block past it.
 * A longer line is never parsed (a 50 MB line never reaches JSON.parse) and never taken for a crash's footprint.
 */
export const MAX_LINE_BYTES = 4096

/**
 * Reads a history file back, deciding which damage is the footprint of a crash and which means the file is not ours.
 *
 * The rule: a crash can only ever leave the record being written unfinished, because every record is one write of
 * one line. So a line is forgiven when it looks like an unfinished record of ours — it does not parse, and it is a
 * short, prefix-shaped fragment (`{"t":…` made only of the characters our writer emits, or the zero bytes some file
 * systems leave after a power cut). Such a line is dropped, whether it is the last line or one a later append wrote
 * past. A complete record that only lacks its newline is kept. Anything else — text we never write, a line longer
 * than any record, binary, or a complete JSON line with impossible values — means the file was edited, damaged, or
 * is not a history file, and none of it can be trusted: the caller sets it aside whole.
 */
export function parseLog(bytes: Buffer): ParsedLog {
  const parser = new LogParser()
  parser.feed(bytes)
  return parser.end()
}

/** How much of the file is in memory at once while it is read. */
const READ_CHUNK_BYTES = 1024 * 1024

/**
 * Reads `file` and parses it as `parseLog` does, a chunk at a time: a huge damaged file (a 50 MB line) costs one
 * chunk of memory, and reading stops at the first line that shows the file is not ours. Throws the file system's
 * error (ENOENT, EACCES, EISDIR…) for the caller to word.
 */
export function readLog(file: string): ParsedLog {
  const parser = new LogParser()
  const fd = openSync(file, 'r')
  try {
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES)
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null)
      if (read === 0 || !parser.feed(chunk.subarray(0, read))) break
    }
  } finally {
    closeSync(fd)
  }
  return parser.end()
}

/** The rule of `parseLog`, fed the file in pieces; a line never spans more than MAX_LINE_BYTES of memory. */
export class LogParser {
  private readonly result: ParsedLog = {
    readings: [],
    completeBytes: 0,
    tornTail: false,
    missingNewline: false,
    skippedLines: 0,
    distrust: null,
  }
  /** The start of a line the last piece ended in the middle of. */
  private carry: Buffer = Buffer.alloc(0)
  private lineNumber = 0

  /** False once the file is distrusted: nothing further on can change that. */
  feed(piece: Buffer): boolean {
    if (this.result.distrust) return false
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, piece]) : piece
    let start = 0
    for (let newline = bytes.indexOf(0x0a); newline !== -1; newline = bytes.indexOf(0x0a, start)) {
      if (!this.line(bytes, start, newline, false)) return false
      start = newline + 1
    }
    // `bytes` starts where the carried line did, at completeBytes: the new complete part ends at `start`.
    this.result.completeBytes += start
    this.carry = Buffer.from(bytes.subarray(start)) // a copy: the caller reuses its buffer
    if (this.carry.length > MAX_LINE_BYTES)
      return this.distrust(`line ${this.lineNumber + 1} is longer than any history record`)
    return true
  }

  end(): ParsedLog {
    if (!this.result.distrust && this.carry.length > 0) this.line(this.carry, 0, this.carry.length, true)
    return this.result
  }

  private line(bytes: Buffer, start: number, end: number, isLast: boolean): boolean {
    this.lineNumber++
    if (end - start > MAX_LINE_BYTES)
      return this.distrust(`line ${this.lineNumber} is longer than any history record`)
    if (end === start) return true
    const line = bytes.toString('utf8', start, end)
    const reading = decodeRecord(line)
    if (reading) {
      this.result.readings.push(reading)
      this.result.missingNewline = isLast
    } else if (looksLikeUnfinishedRecord(line)) {
      if (isLast) this.result.tornTail = true
      else this.result.skippedLines++
    } else {
      return this.distrust(`line ${this.lineNumber} is not a history record`)
    }
    return true
  }

  private distrust(why: string): false {
    this.result.distrust = why
    return false
  }
}

/** A line back into a reading, or null when it is not a complete, plausible record. */
export function decodeRecord(line: string): Snapshot | null {
  // Lines exactly as our writer makes them skip JSON.parse, which halves the load time of a large log. At most 15
  // digits keeps every count a safe integer, so the match alone proves the record plausible.
  const exact = OUR_RECORD.exec(line)
  if (exact) {
    const [, t, p, a, f, m] = exact
    return {
      at: Number(t),
      purchased: Number(p),
      active: Number(a),
      available: Number(f),
      mismatch: m === '1',
    }
  }
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { t, p, a, f, m } = value as Record<string, unknown>
  if (typeof t !== 'number' || !Number.isFinite(t)) return null
  if (!isCount(p) || !isCount(a) || !isSeatNumber(f)) return null
  if (m !== undefined && m !== 0 && m !== 1) return null
  return { at: t, purchased: p, active: a, available: f, mismatch: m === 1 }
}

/** Whether a reading would read back as itself: anything else (a NaN from a bug upstream) must never reach the file. */
export function isRecordable(s: Snapshot): boolean {
  return Number.isFinite(s.at) && isCount(s.purchased) && isCount(s.active) && isSeatNumber(s.available)
}

/** Appends records one write and one fdatasync each, so a crash loses at most the record being written. */
export class Appender {
  private constructor(
    private fd: number | null,
    /** The file ends in a torn line we could not cut off: start the next record on a fresh line. */
    private needsNewline: boolean,
  ) {}

  static open(file: string, needsNewline: boolean): Appender {
    const isNew = !existsSync(file)
    const appender = new Appender(openSync(file, 'a', 0o600), needsNewline)
    // A new file's name lives in the folder: flush it too, or a crash could lose the whole file, not one line.
    if (isNew) flushFolder(dirname(file))
    return appender
  }

  /** Throws the file system's error; the caller decides what the person is told. */
  append(line: string): void {
    if (this.fd === null) throw new Error('history file is closed')
    const text = this.needsNewline ? `\n${line}` : line
    // A full disk takes part of the line, then says ENOSPC: the part left is an unfinished record, cut at next start.
    writeAll(this.fd, Buffer.from(text))
    fdatasyncSync(this.fd)
    this.needsNewline = false
  }

  /** Ends a last line that lacks its newline, so the file is whole lines again before anything is appended. */
  finishLine(): void {
    if (!this.needsNewline || this.fd === null) return
    writeAll(this.fd, Buffer.from('\n'))
    fdatasyncSync(this.fd)
    this.needsNewline = false
  }

  close(): void {
    if (this.fd === null) return
    closeSync(this.fd)
    this.fd = null
  }
}

/**
 * Replaces `file` with `lines` so that a crash, a power cut or a full disk at any moment leaves either the old file
 * or the new one whole (core/atomic-file.ts). Throws `DiskWriteError` with the old file untouched.
 */
export function rewriteAtomically(file: string, lines: string[]): void {
  writeFileAtomic(file, lines.join(''), { mode: 0o600, task: 'tidy old seat history' })
}

/** `<file>.corrupt-<timestamp>`, never overwriting an earlier copy set aside in the same millisecond. */
export function setAsideName(file: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-')
  let name = `${file}.corrupt-${stamp}`
  for (let n = 1; existsSync(name); n++) name = `${file}.corrupt-${stamp}-${n}`
  return name
}

export function removeIfPresent(file: string): void {
  try {
    unlinkSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

const OUR_RECORD = /^\{"t":(-?\d{1,16}),"p":(\d{1,15}),"a":(\d{1,15}),"f":(-?\d{1,15}),"m":([01])\}$/
const UNFINISHED_RECORD_CHARS = /^[{}":,\-.0-9tpafm]*$/

function looksLikeUnfinishedRecord(line: string): boolean {
  const visible = line.replace(/\0+/g, '')
  if (visible === '') return true
  if (isJson(visible)) return false // complete, so not interrupted: its values are simply wrong
  const opensLikeARecord = visible.startsWith('{"t":') || '{"t":'.startsWith(visible)
  return opensLikeARecord && UNFINISHED_RECORD_CHARS.test(visible)
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

/** Zoho's available count can dip below zero when more users are active than purchased. */
function isSeatNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v)
}
