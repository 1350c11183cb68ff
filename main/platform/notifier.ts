/**
 * Desktop notifications through Electron. A click opens the window where the notice leads (core's
 * noticeDestination). Quiet where the OS has no notification service. Shown notifications are kept referenced until
 * they close, because a garbage-collected Notification silently loses its click handler.
 */
import { Notification } from 'electron'
import type { Notice, Notifier } from '../core/ports'

/** Linux daemons do not always report `close`; the oldest references go past this many so memory stays bounded. */
const MAX_KEPT = 20

/**
 * Where Electron shows a notification's buttons and reports a press as `action` (Electron's Notification docs:
 * `actions` and the `action` event are macOS and Windows only; Linux's libnotify path shows none). On macOS the
 * button only appears in a signed app whose alert style is `alert`; wherever it does not, the body does the same.
 */
const BUTTONS_SHOWN: ReadonlySet<NodeJS.Platform> = new Set(['darwin', 'win32'])

export interface ElectronNotifierOptions {
  /** The person clicked this notice: the wiring opens the window where it leads. */
  onClick(notice: Notice): void
  /** A path or NativeImage for the notification icon, where the OS shows one. */
  icon?: Electron.NativeImage | string
  /** The OS it runs on (process.platform unless a test says otherwise): it decides whether buttons are offered. */
  platform?: NodeJS.Platform
}

export class ElectronNotifier implements Notifier {
  private readonly kept = new Set<Electron.Notification>()

  constructor(private readonly options: ElectronNotifierOptions) {}

  show(notice: Notice): void {
    if (!Notification.isSupported()) return
    const button = BUTTONS_SHOWN.has(this.options.platform ?? process.platform) ? notice.action : undefined
    const n = new Notification({
      title: notice.title,
      body: notice.body,
      ...(this.options.icon ? { icon: this.options.icon } : {}),
      ...(button ? { actions: [{ type: 'button', text: button.label }] } : {}),
    })
    const forget = () => this.kept.delete(n)
    // The body and the one button lead to the same place (core's noticeDestination), so Linux loses nothing.
    // There is only ever one button, so the action's index needs no reading.
    const open = () => {
      forget()
      this.options.onClick(notice)
    }
    n.on('click', open)
    if (button) n.on('action', open)
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
