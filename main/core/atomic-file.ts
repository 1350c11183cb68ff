/**
 * The one way Seat Tray replaces a file on disk (settings, secrets file, alert memory, history cleanup, autostart
 * entry): after a crash or a power cut at any moment, the file is either the old version or the new one, whole.
 *
 * How: write a temp file beside it (`<file>.tmp-<pid>`), check that every byte landed, flush it, rename it over the
 * old one, then flush the folder so the rename itself survives a power cut. On any failure the temp file is removed
 * and the old file is untouched, and the error says what happened on the disk (full, read-only, not allowed).
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { type Problem, problem } from '../../common/problems'
import { SeatTrayError } from './errors'

/** What Seat Tray was doing when the disk refused, in the person's words ("save the settings"). */
export type DiskTask = string

/**
 * A file could not be written: the old version is intact. `code` is the file system's (ENOSPC, EROFS, EACCES…) and
 * the message says it in plain words, so it can never be mistaken for a problem with Zoho.
 */
export class DiskWriteError extends SeatTrayError {
  constructor(
    readonly code: string,
    readonly file: string,
    task: DiskTask,
  ) {
    super(diskProblem(task, code))
    this.name = 'DiskWriteError'
  }
}

/** What the disk did, as a Problem: "Seat Tray could not save the settings: the disk is full. Nothing was lost." */
export function diskProblem(task: DiskTask, error: unknown): Problem {
  const code = errorCode(error)
  return problem('disk-error', {
    message: `Seat Tray could not ${task}: ${diskTrouble(code)}. Nothing was lost.`,
    detail: code,
  })
}

/** The file system's error codes in plain words: the one place these sentences are written. */
export function diskTrouble(code: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full'
    case 'EDQUOT':
      return 'the disk quota is used up'
    case 'EFBIG':
      return 'the file grew past the size this computer allows'
    case 'EROFS':
      return 'the disk is read-only'
    case 'EACCES':
    case 'EPERM':
      return 'it is not allowed to write in its folder'
    case 'EIO':
      return 'the disk reported an error'
    case 'ENOENT':
    case 'ENOTDIR':
      return 'its folder is missing'
    default:
      return `the disk refused (${code})`
  }
}

export function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
}

/** The temp file of the process `pid`: the pid in the name is what lets a later start tell a stale one. */
export function tempFileFor(file: string, pid: number = process.pid): string {
  return `${file}.tmp-${pid}`
}

/**
 * Replaces `file` with `data` atomically and durably (see the top of this file). Throws `DiskWriteError` with the
 * old file untouched and no temp file left behind.
 */
export function writeFileAtomic(
  file: string,
  data: string | Buffer,
  options: { mode?: number; task: DiskTask },
): void {
  const temp = tempFileFor(file)
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  try {
    const fd = openSync(temp, 'w', options.mode ?? 0o600)
    try {
      writeAll(fd, bytes)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, file)
  } catch (error) {
    removeQuietly(temp)
    throw new DiskWriteError(errorCode(error), file, options.task)
  }
  flushFolder(dirname(file))
}

/**
 * Writes every byte or throws. `writeSync` may write fewer bytes than asked (a nearly full disk does exactly that
 * before it says ENOSPC), so it is called again for the rest; a write that makes no progress is a full disk.
 */
export function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0
  while (offset < bytes.length) {
    const written = writeSync(fd, bytes, offset, bytes.length - offset)
    if (written <= 0) throw Object.assign(new Error('the disk took no more bytes'), { code: 'ENOSPC' })
    offset += written
  }
}

/**
 * Removes the temp files an earlier run left beside `file` when it was killed mid-write: only names this module
 * makes (`<file>.tmp-<pid>`, and `<file>.tmp` from earlier versions), and only when that process is gone. A temp
 * file of this process is stale too: writes here are synchronous, so none is under way while this runs.
 * Best effort: a temp file that cannot be removed costs some disk space, never the file itself.
 */
export function removeStaleTemps(file: string): void {
  const folder = dirname(file)
  const prefix = `${basename(file)}.tmp`
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue
    const rest = name.slice(prefix.length)
    const pid = rest === '' ? null : /^-(\d{1,10})$/.exec(rest)?.[1]
    if (pid === undefined) continue // not a name we make
    if (pid !== null && !isStale(Number(pid))) continue
    const path = join(folder, name)
    try {
      if (statSync(path).isFile()) unlinkSync(path)
    } catch {
      // Left for the next start.
    }
  }
}

function isStale(pid: number): boolean {
  if (pid === process.pid) return true
  if (pid <= 0 || pid > 2 ** 31 - 1) return false // not a pid: not ours to judge
  try {
    process.kill(pid, 0) // signal 0 only asks whether the process exists
    return false
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it may be writing.
    return errorCode(error) === 'ESRCH'
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone, or the disk refuses even this: the next start removes it (removeStaleTemps).
  }
}

/**
 * Flushes a folder so a new name in it (a rename, a new file) survives a power cut. Best effort: Windows cannot
 * open a folder to flush it, and the data itself was flushed before the rename.
 */
export function flushFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // See above.
  }
}
