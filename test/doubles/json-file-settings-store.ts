/**
 * Settings in a JSON file of our own, in plain Node, for tests that want a real file on a real disk: it behaves as
 * the electron-store adapter (main/platform/electron-settings-store.ts) does, with the same notices and backups.
 * A test double: the app, the CLI and the headless runtime never use it.
 */
import { join } from 'node:path'
import type { Settings } from '../../common/settings'
import { readJsonFile, writeJsonFileAtomic } from '../../main/core/json-file'
import type { SettingsStore } from '../../main/core/ports'
import { parseSettings } from '../../main/core/settings'
import { corruptNotice, keepCopyOfDamaged, SAVE_SETTINGS } from '../../main/platform/settings-store'

export const SETTINGS_FILE_NAME = 'settings.json'

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
