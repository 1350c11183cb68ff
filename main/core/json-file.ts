/**
 * Small JSON state files (alert memory, the settings file, the secrets file): read without ever throwing, written
 * through the one atomic writer (core/atomic-file.ts), so a crash, a power cut or a full disk mid-write leaves the
 * old file, not half of a new one.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { dirname } from 'node:path'
import { type DiskTask, DiskWriteError, errorCode, removeStaleTemps, writeFileAtomic } from './atomic-file'

export type JsonRead<T> =
  | { kind: 'missing' }
  | { kind: 'ok'; value: T }
  /** The file exists but is not JSON; it was renamed to `backup` so nothing is lost. */
  | { kind: 'corrupt'; backup: string | null; error: string }

/** Also removes the temp files a run killed mid-write left beside `file` (each state file is read at start). */
export function readJsonFile(file: string, now: () => number = Date.now): JsonRead<unknown> {
  removeStaleTemps(file)
  if (!existsSync(file)) return { kind: 'missing' }
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    return { kind: 'corrupt', backup: null, error: String(error) }
  }
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown }
  } catch (error) {
    const backup = `${file}.corrupt-${now()}`
    try {
      renameSync(file, backup)
      return { kind: 'corrupt', backup, error: String(error) }
    } catch {
      return { kind: 'corrupt', backup: null, error: String(error) }
    }
  }
}

/** Throws `DiskWriteError` (the old file untouched) when the disk refuses; `task` is what the person is told failed. */
export function writeJsonFileAtomic(
  file: string,
  value: unknown,
  mode = 0o600,
  task: DiskTask = 'save its state',
): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
  } catch (error) {
    throw new DiskWriteError(errorCode(error), file, task)
  }
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { mode, task })
}
