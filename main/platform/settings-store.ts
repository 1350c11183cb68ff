/**
 * Settings in a JSON file of our own, in plain Node: the headless runtime and the tests use it, and it is the
 * behaviour the electron-store adapter (electron-settings-store.ts) copies. The rules live in core/settings.ts.
 */
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { readJsonFile, writeJsonFileAtomic } from '../core/json-file'
import type { SettingsStore } from '../core/ports'
import { parseSettings, type Settings } from '../core/settings'

export const SETTINGS_FILE_NAME = 'settings.json'

/** What a failed save tells the person: "Seat Tray could not save the settings: the disk is full…". */
export const SAVE_SETTINGS = 'save the settings'

export class JsonFileSettingsStore implements SettingsStore {
  readonly file: string

  constructor(
    dir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = join(dir, SETTINGS_FILE_NAME)
  }

  /** Never throws: unreadable JSON is moved aside and defaults come back with a notice for the person. */
  load(): { settings: Settings; notice?: string } {
    const read = readJsonFile(this.file, this.now)
    if (read.kind === 'missing') return parseSettings({})
    if (read.kind === 'corrupt')
      return { settings: parseSettings({}).settings, notice: corruptNotice(read.backup) }
    const parsed = parseSettings(read.value)
    if (parsed.notice) keepCopyOfDamaged(this.file, this.now)
    return parsed
  }

  /** Throws `DiskWriteError` (core/atomic-file.ts) when the disk refuses; the old file is then untouched. */
  save(settings: Settings): void {
    writeJsonFileAtomic(this.file, settings, 0o600, SAVE_SETTINGS)
  }
}

/** The sentence shown when the settings file could not be read at all. */
export function corruptNotice(backup: string | null): string {
  return backup
    ? `The settings file was damaged, so Seat Tray started with the defaults. The old file was kept as ${backup}.`
    : 'The settings file could not be read, so Seat Tray started with the defaults.'
}

/**
 * Some fields were reset: keep the original beside it before the next save overwrites it, so a person (or support)
 * can still recover what was there. Best effort: a failed copy must not stop the app.
 */
export function keepCopyOfDamaged(file: string, now: () => number): void {
  try {
    copyFileSync(file, `${file}.corrupt-${now()}`)
  } catch {
    // Nothing more to do: the notice already tells the person their settings were reset.
  }
}
