/**
 * What a settings store does with a file it cannot fully read: the notice for the person and the copy kept aside.
 * The electron-store adapter (electron-settings-store.ts) uses them, and so does the plain-file store the tests use
 * (test/doubles/json-file-settings-store.ts). The rules live in core/settings.ts.
 */
import { copyFileSync } from 'node:fs'

/** What a failed save tells the person: "Seat Tray could not save the settings: the disk is full…". */
export const SAVE_SETTINGS = 'save the settings'

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
