/**
 * Small JSON state files (alert memory, settings in tests): read without ever throwing, write atomically
 * (temp file + rename) so a crash mid-write leaves the old file, not half of a new one.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export type JsonRead<T> =
  | { kind: 'missing' }
  | { kind: 'ok'; value: T }
  /** The file exists but is not JSON; it was renamed to `backup` so nothing is lost. */
  | { kind: 'corrupt'; backup: string | null; error: string }

export function readJsonFile(file: string, now: () => number = Date.now): JsonRead<unknown> {
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

export function writeJsonFileAtomic(file: string, value: unknown, mode = 0o600): void {
  mkdirSync(dirname(file), { recursive: true })
  const temp = `${file}.tmp-${process.pid}`
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode })
  renameSync(temp, file)
}
