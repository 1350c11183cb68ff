/**
 * The settings in force and the one way to change them: a change is saved first and is in force only once the disk
 * has it, so what the app does and what the next start reads never disagree. The rules of a valid settings object
 * are in core/settings.ts; the store (electron-store, a file in tests) is a port.
 */
import type { AccountRecord, Settings } from '../../common/settings'
import { diskProblem } from './atomic-file'
import { SeatTrayError } from './errors'
import type { SettingsStore } from './ports'

export class SettingsRepository {
  private value: Settings
  /** Said once at start when the stored settings could not be used as they were (reset, with a copy kept). */
  readonly notice: string | undefined

  constructor(private readonly store: SettingsStore) {
    const loaded = store.load()
    this.value = loaded.settings
    this.notice = loaded.notice
  }

  get current(): Settings {
    return this.value
  }

  /**
   * Saves `next` and puts it in force. A refusal (full, read-only, no permission) is a SeatTrayError naming the
   * disk's problem, with the settings in force unchanged.
   */
  save(next: Settings): Settings {
    try {
      this.store.save(next)
    } catch (error) {
      throw new SeatTrayError(diskProblem('save the settings', error))
    }
    this.value = next
    return next
  }

  /** Adds a signed-in account, or replaces the one with the same id. */
  putAccount(record: AccountRecord): void {
    this.save({ ...this.value, accounts: [...this.value.accounts.filter((a) => a.id !== record.id), record] })
  }

  /** Updates an account's record in place (its org name), keeping the order the person added them in. */
  updateAccount(record: AccountRecord): void {
    this.save({ ...this.value, accounts: this.value.accounts.map((a) => (a.id === record.id ? record : a)) })
  }

  removeAccount(id: string): void {
    this.save({ ...this.value, accounts: this.value.accounts.filter((a) => a.id !== id) })
  }
}
