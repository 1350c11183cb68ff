/**
 * Desktop notifications through Electron. A click opens the window on the notice's account. Quiet where the OS has
 * no notification service. Shown notifications are kept referenced until they close, because a garbage-collected
 * Notification silently loses its click handler.
 */
import { Notification } from 'electron'
import type { AccountId } from '../../common/model'
import type { Notice, Notifier } from '../core/ports'

/** Linux daemons do not always report `close`; the oldest references go past this many so memory stays bounded. */
const MAX_KEPT = 20

export interface ElectronNotifierOptions {
  /** Opens the window on that account (null: the overview). */
  onClick(accountId: AccountId | null): void
  /** A path or NativeImage for the notification icon, where the OS shows one. */
  icon?: Electron.NativeImage | string
}

export class ElectronNotifier implements Notifier {
  private readonly kept = new Set<Electron.Notification>()

  constructor(private readonly options: ElectronNotifierOptions) {}

  show(notice: Notice): void {
    if (!Notification.isSupported()) return
    const n = new Notification({
      title: notice.title,
      body: notice.body,
      ...(this.options.icon ? { icon: this.options.icon } : {}),
    })
    const forget = () => this.kept.delete(n)
    n.on('click', () => {
      forget()
      this.options.onClick(notice.accountId)
    })
    n.on('close', forget)
    n.on('failed', forget)
    this.keep(n)
    n.show()
  }

  /** How many notifications are still referenced (for tests and diagnostics). */
  get keptCount(): number {
    return this.kept.size
  }

  private keep(n: Electron.Notification): void {
    this.kept.add(n)
    for (const oldest of this.kept) {
      if (this.kept.size <= MAX_KEPT) break
      this.kept.delete(oldest)
    }
  }
}
