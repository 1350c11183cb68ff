/**
 * The alert desk: decides, with core/alerts.ts, which notifications a check deserves, shows them, and remembers what
 * was announced and the snooze across restarts (state.json), so a restart never repeats a notification.
 */
import { join } from 'node:path'
import type { AccountId } from '../../common/model'
import { type AlertInput, type AlertMemory, evaluateAlerts } from './alerts'
import { readJsonFile, writeJsonFileAtomic } from './json-file'
import type { Clock, Notice, Notifier } from './ports'

/** What survives a restart besides settings and history: what was already announced, and the snooze. */
interface Memory {
  alerts: Record<AccountId, AlertMemory>
  snoozedUntil: number | null
}

export class AlertDesk {
  private readonly file: string
  private readonly memory: Memory
  /** Said once at start when the memory file could not be read. */
  readonly notice: string | undefined

  constructor(private readonly deps: { dataDir: string; clock: Clock; notifier: Notifier }) {
    this.file = join(deps.dataDir, 'state.json')
    const read = readJsonFile(this.file, deps.clock.now)
    if (read.kind === 'corrupt') {
      this.notice = 'Seat Tray could not read what it had already announced, so an alert may repeat once.'
    }
    const value = read.kind === 'ok' && isRecord(read.value) ? read.value : {}
    this.memory = {
      alerts: isRecord(value.alerts) ? (value.alerts as Record<AccountId, AlertMemory>) : {},
      snoozedUntil: typeof value.snoozedUntil === 'number' ? value.snoozedUntil : null,
    }
  }

  /** The snooze in force now, or null. */
  snoozedUntil(): number | null {
    const until = this.memory.snoozedUntil
    return until !== null && until > this.deps.clock.now() ? until : null
  }

  snooze(until: number | null): void {
    this.memory.snoozedUntil = until
    this.save()
  }

  /** After a check: shows what deserves a notification, once per crossing (`hint` may add what can be done). */
  announce(input: Omit<AlertInput, 'snoozedUntil'>, hint: (notice: Notice) => Notice = (n) => n): void {
    const id = input.accountId
    const { memory: next, notices } = evaluateAlerts(
      this.memory.alerts[id],
      { ...input, snoozedUntil: this.memory.snoozedUntil },
      this.deps.clock.now(),
    )
    const changed = JSON.stringify(next) !== JSON.stringify(this.memory.alerts[id])
    this.memory.alerts[id] = next
    if (changed) this.save()
    for (const notice of notices) this.deps.notifier.show(hint(notice))
  }

  /** A signed-out account starts afresh when it comes back. */
  forget(accountId: AccountId): void {
    delete this.memory.alerts[accountId]
    this.save()
  }

  save(): void {
    try {
      writeJsonFileAtomic(this.file, this.memory)
    } catch {
      // Losing alert memory means at worst one repeated notification; never worth a crash.
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
