/**
 * What was seen: a durable per-account log of seat readings, and the chart and CSV queries over it.
 *
 * The log keeps change points plus a daily heartbeat, not every poll: a year of one-minute polls where seats change
 * a few times a day is a few thousand lines. Each kept reading is one line appended and flushed to disk, so an append
 * costs the same on day one and day four hundred, and a crash loses at most the line being written. The last
 * reading seen is always in memory, written or not. Nothing here throws for a bad file or a read-only disk: the
 * person is told in `warnings`, and the log carries on in memory.
 */
import { mkdirSync, renameSync, truncateSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type {
  AccountId,
  HistoryEvent,
  HistoryPoint,
  HistoryRange,
  HistorySeries,
  Snapshot,
} from '../../common/model'
import { diskTrouble, removeStaleTemps } from './atomic-file'
import {
  Appender,
  encodeRecord,
  errorCode,
  isRecordable,
  type ParsedLog,
  parseLog,
  readLog,
  rewriteAtomically,
  setAsideName,
} from './history/log-file'
import {
  changePointsCsv,
  retentionCutoff,
  sameReading,
  seatEvents,
  stepPoints,
  Timeline,
} from './history/timeline'
import { type Clock, systemClock } from './ports'

export interface HistoryOptions {
  file: string
  clock?: Clock
  /** Readings older than this are dropped by `prune` (the value in force at the cut is kept). Default 400. */
  retentionDays?: number
  /** Write an unchanged reading again after this long, so the log shows the app was watching. Default 24 h. */
  heartbeatMs?: number
}

export const DAY_MS = 24 * 60 * 60 * 1000

export const RANGE_MS: Record<HistoryRange, number> = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '1y': 365 * DAY_MS,
}

export class HistoryLog {
  /** Plain sentences for the window, e.g. that a damaged file was set aside. */
  readonly warnings: string[] = []
  private readonly timeline = new Timeline()
  private readonly clock: Clock
  private retentionMs: number
  private readonly heartbeatMs: number
  /** Null when the log lives in memory only (unreadable folder, full disk) or is closed. */
  private appender: Appender | null = null
  /** The last reading written, in arrival order: what the next reading is compared with. */
  private lastWritten: Snapshot | null = null
  /** The last reading seen when it was not written (nothing changed): kept so `latest()` is never stale. */
  private unwritten: Snapshot | null = null
  private closed = false

  private constructor(private readonly options: HistoryOptions) {
    this.clock = options.clock ?? systemClock
    this.retentionMs = (options.retentionDays ?? 400) * DAY_MS
    this.heartbeatMs = options.heartbeatMs ?? DAY_MS
  }

  /** Loads the file (recovering from a crash, setting a damaged file aside) and opens it for appending. */
  static open(options: HistoryOptions): HistoryLog {
    const log = new HistoryLog(options)
    log.load()
    log.prune()
    return log
  }

  get file(): string {
    return this.options.file
  }

  /**
   * Keeps a reading when it differs from the last one kept, when the last one kept is a heartbeat old, or when the
   * clock went back past it (so the new timeline has its own anchor). Returns true when the reading was kept.
   */
  record(s: Snapshot): boolean {
    if (this.closed || !isRecordable(s)) return false
    const reading = copyOf(s)
    const last = this.lastWritten
    const due =
      last === null ||
      !sameReading(last, reading) ||
      reading.at - last.at >= this.heartbeatMs ||
      reading.at < last.at
    if (!due) {
      this.unwritten = reading
      return false
    }
    this.keep(reading)
    return true
  }

  /** The last reading seen, written or not. */
  latest(): Snapshot | null {
    const latest = this.unwritten ?? this.lastWritten
    return latest ? copyOf(latest) : null
  }

  /** The step series from `from` to `to`, downsampled to at most `maxPoints`, starting with the value in force. */
  points(from: number, to: number, maxPoints: number): HistoryPoint[] {
    return stepPoints(this.timeline, this.unwritten, from, to, maxPoints)
  }

  events(from: number, to: number): HistoryEvent[] {
    return seatEvents(this.timeline, from, to)
  }

  /** The range that ends now, ready for the chart. */
  series(accountId: AccountId, range: HistoryRange, maxPoints = 500): HistorySeries {
    const to = this.clock.now()
    const from = to - RANGE_MS[range]
    return {
      accountId,
      range,
      from,
      to,
      points: this.points(from, to, maxPoints),
      events: this.events(from, to),
    }
  }

  /**
   * `time,purchased,active,available` with ISO-8601 UTC times: the value in force at `from`, then each change.
   * With `org`, each row starts with the org's name, so files exported from several orgs can be told apart.
   */
  csv(from: number, to: number, org?: string): string {
    return changePointsCsv(this.timeline, from, to, org)
  }

  /**
   * Drops readings older than the retention period, keeping the one in force at the cut so the chart still knows
   * the value then. The file is rewritten whole and atomically; it only happens when there is something to drop.
   * A clock implausibly far past the newest reading cuts from that reading instead (retentionCutoff), so a clock
   * set ahead deletes nothing.
   */
  prune(): void {
    if (this.closed) return
    const cutoff = retentionCutoff(this.timeline, this.clock.now(), this.retentionMs, 2 * this.heartbeatMs)
    const inForceAtCut = this.timeline.firstAfter(cutoff) - 1
    if (inForceAtCut <= 0) return
    this.timeline.dropBefore(inForceAtCut)
    if (!this.appender) return
    const lines = this.timeline.all().map(encodeRecord)
    this.appender.close()
    this.appender = null
    try {
      rewriteAtomically(this.file, lines)
    } catch (error) {
      // The old file is intact (the rewrite is all or nothing); it just keeps some old lines a while longer.
      this.warnings.push(
        `History cleanup was skipped: ${diskTrouble(errorCode(error))}; nothing was lost. Seat Tray will try again at the next start.`,
      )
    }
    this.openForAppend(false)
  }

  /** The person changed how long history is kept: applies at once. */
  setRetentionDays(days: number): void {
    this.retentionMs = days * DAY_MS
    this.prune()
  }

  /** Stops writing. An unwritten last reading is written first, so reopening shows the same latest reading. */
  close(): void {
    if (this.closed) return
    if (this.unwritten) this.keep(this.unwritten)
    this.appender?.close()
    this.appender = null
    this.closed = true
  }

  private keep(reading: Snapshot): void {
    if (this.appender) {
      try {
        this.appender.append(encodeRecord(reading))
      } catch (error) {
        this.goInMemory(
          `Seat Tray could not save seat history: ${diskTrouble(errorCode(error))}. New readings are kept in memory only until it restarts.`,
        )
      }
    }
    this.timeline.insert(reading)
    this.lastWritten = reading
    this.unwritten = null
  }

  private load(): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true })
    } catch (error) {
      this.warnings.push(
        `Seat Tray could not create its history folder: ${diskTrouble(errorCode(error))}. Seat history is kept in memory only.`,
      )
      return
    }
    // A cleanup killed mid-write left its temp file: the history file itself is whole (the rename never happened).
    removeStaleTemps(this.file)
    let parsed: ParsedLog
    try {
      parsed = readLog(this.file)
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') {
        // Unreadable is not damaged: leave the file alone for the person to fix, and write nowhere.
        this.warnings.push(
          `Seat Tray could not read its seat history (${errorCode(error)}), so history is kept in memory only.`,
        )
        return
      }
      parsed = parseLog(Buffer.alloc(0))
    }
    if (parsed.distrust) {
      this.setAside()
      return
    }
    for (const reading of parsed.readings) this.timeline.insert(reading)
    this.lastWritten = parsed.readings[parsed.readings.length - 1] ?? null
    if (parsed.missingNewline) {
      // A complete last record whose newline was removed: keep it, and put the newline back at once.
      this.openForAppend(true)
      this.finishLastLine()
    } else {
      this.openForAppend(parsed.tornTail && !this.cutTornTail(parsed.completeBytes))
    }
  }

  private finishLastLine(): void {
    try {
      this.appender?.finishLine()
    } catch (error) {
      this.goInMemory(
        `Seat Tray could not save seat history: ${diskTrouble(errorCode(error))}. New readings are kept in memory only until it restarts.`,
      )
    }
  }

  /** Renames a file we cannot trust out of the way, so nothing is erased, and starts afresh. */
  private setAside(): void {
    const aside = setAsideName(this.file, this.clock.now())
    try {
      renameSync(this.file, aside)
    } catch (error) {
      this.warnings.push(
        `The seat history file is damaged and could not be moved aside (${errorCode(error)}), so history is kept in memory only.`,
      )
      return
    }
    this.warnings.push(
      `The seat history file was damaged, so Seat Tray set it aside as ${basename(aside)} and started a new history.`,
    )
    this.openForAppend(false)
  }

  /** Cuts off the record a crash interrupted. False when the file cannot be cut; the next append starts a fresh line. */
  private cutTornTail(completeBytes: number): boolean {
    try {
      truncateSync(this.file, completeBytes)
      return true
    } catch {
      return false
    }
  }

  private openForAppend(needsNewline: boolean): void {
    try {
      this.appender = Appender.open(this.file, needsNewline)
    } catch (error) {
      this.goInMemory(
        `Seat Tray could not open its seat history for writing: ${diskTrouble(errorCode(error))}. History is kept in memory only.`,
      )
    }
  }

  private goInMemory(warning: string): void {
    try {
      this.appender?.close()
    } catch {
      // Already failing; the warning below is what matters.
    }
    this.appender = null
    this.warnings.push(warning)
  }
}

/** One log per account, in one folder. */
export class HistoryStore {
  private readonly logs = new Map<AccountId, HistoryLog>()

  private readonly options: { dir: string; clock?: Clock; retentionDays?: number }

  constructor(options: { dir: string; clock?: Clock; retentionDays?: number }) {
    this.options = { ...options }
  }

  forAccount(id: AccountId): HistoryLog {
    let log = this.logs.get(id)
    if (!log) {
      log = HistoryLog.open({
        file: this.fileFor(id),
        clock: this.options.clock,
        retentionDays: this.options.retentionDays,
      })
      this.logs.set(id, log)
    }
    return log
  }

  setRetentionDays(days: number): void {
    this.options.retentionDays = days
    for (const log of this.logs.values()) log.setRetentionDays(days)
  }

  /** Every open log's warnings, for the window's notices. */
  warnings(): string[] {
    return [...this.logs.values()].flatMap((log) => log.warnings)
  }

  closeAll(): void {
    for (const log of this.logs.values()) log.close()
    this.logs.clear()
  }

  fileFor(id: AccountId): string {
    return join(this.options.dir, `${safeFileName(id)}.jsonl`)
  }
}

/**
 * An account id as a file name on every OS, one-to-one: letters, digits, `_` and `-` stay, anything else becomes
 * `%XX`, and a name Windows reserves for a device (`con`, `nul`, `com1`…) has its last letter escaped too.
 */
export function safeFileName(id: AccountId): string {
  const escaped = Array.from(new TextEncoder().encode(id), (byte) => {
    const c = String.fromCharCode(byte)
    return /[A-Za-z0-9_-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }).join('')
  if (escaped === '') return '%'
  if (!/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(escaped)) return escaped
  const last = escaped.charCodeAt(escaped.length - 1)
  return `${escaped.slice(0, -1)}%${last.toString(16).toUpperCase()}`
}

function copyOf(s: Snapshot): Snapshot {
  return { at: s.at, purchased: s.purchased, active: s.active, available: s.available, mismatch: s.mismatch }
}
