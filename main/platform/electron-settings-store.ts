/**
 * Settings through electron-store, in the app's userData folder. electron-store imports electron at load time,
 * which is why the notices and backups it shares with the tests' plain-file store live apart, in settings-store.ts.
 * We keep our own schemaVersion and migrations (core/settings.ts) instead of electron-store's, whose
 * version-keyed migrations only run on app version bumps; and we never let it clear an invalid file.
 */
import { existsSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { app } from 'electron'
import Store from 'electron-store'
import type { Settings } from '../../common/settings'
import { writeJsonFileAtomic } from '../core/json-file'
import type { SettingsStore } from '../core/ports'
import { parseSettings } from '../core/settings'
import { corruptNotice, keepCopyOfDamaged, SAVE_SETTINGS } from './settings-store'

const STORE_NAME = 'settings'

export class ElectronSettingsStore implements SettingsStore {
  private store: Store<Record<string, unknown>> | null = null

  constructor(
    /** The folder; userData when omitted. Tests and portable builds pass their own. */
    private readonly cwd: string = app.getPath('userData'),
    private readonly now: () => number = Date.now,
  ) {}

  get file(): string {
    return join(this.cwd, `${STORE_NAME}.json`)
  }

  load(): { settings: Settings; notice?: string } {
    let raw: unknown
    try {
      raw = this.open().store
    } catch {
      // Bad JSON: electron-store throws (clearInvalidConfig is off). Move it aside so the person can recover it.
      this.store = null
      return { settings: parseSettings({}).settings, notice: corruptNotice(this.moveAside()) }
    }
    const parsed = parseSettings(raw)
    if (parsed.notice) keepCopyOfDamaged(this.file, this.now)
    return parsed
  }

  /**
   * Through the app's one atomic writer, not electron-store's: it checks every byte landed and flushes the folder
   * too, so a power cut or a full disk leaves the old file whole, and a failure says what the disk did
   * (`DiskWriteError`). electron-store reads the same plain JSON back.
   */
  save(settings: Settings): void {
    writeJsonFileAtomic(this.file, settings, 0o600, SAVE_SETTINGS)
    this.store = null // read back from the file next time, never from a copy the disk may have refused
  }

  private open(): Store<Record<string, unknown>> {
    this.store ??= new Store<Record<string, unknown>>({
      name: STORE_NAME,
      cwd: this.cwd,
      clearInvalidConfig: false,
      configFileMode: 0o600,
      // No electron-store schema or migrations: core/settings.ts is the one place for those rules.
    })
    return this.store
  }

  private moveAside(): string | null {
    if (!existsSync(this.file)) return null
    const backup = `${this.file}.corrupt-${this.now()}`
    try {
      renameSync(this.file, backup)
      return backup
    } catch {
      return null
    }
  }
}
