/**
 * Desktop notifications through Electron. A click opens the window where the notice leads (core's noticeDestination). Quiet where the OS has
 * no notification service. Shown notifications are kept referenced until they close, because a garbage-collected
 * Notification silently loses its click handler.
 */
import { Notification } from 'electron'
import type { Notice, Notifier } from '../core/ports'

/** Linux daemons do not always report `close`; the oldest references go past this many so memory stays bounded. */
const MAX_KEPT = 20

export interface ElectronNotifierOptions {
  /** The person clicked this notice: the wiring opens the window where it leads. */
  onClick(notice: Notice): void
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
      this.options.onClick(notice)
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
