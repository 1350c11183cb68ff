/**
 * Checks pause while the computer sleeps, while the screen is locked and while it is offline, and resume after.
 * The events come from powerMonitor; "online" is polled with net.isOnline() (Electron has no main-process event).
 */
import type { PauseReason } from '../core/app'

export interface PowerEvents {
  on(event: 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen', listener: () => void): unknown
  removeListener(event: string, listener: () => void): unknown
}

export interface PowerOptions {
  powerMonitor: PowerEvents
  isOnline(): boolean
  /** How often to ask whether we are online. */
  onlinePollMs?: number
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (handle: unknown) => void
}

export interface Pausable {
  pause(reason: PauseReason): void
  resume(reason: PauseReason): void
}

/** Wires the events to `target`. Returns a function that stops watching (on quit). */
export function watchPower(target: Pausable, options: PowerOptions): () => void {
  const pairs: [string, () => void][] = [
    ['suspend', () => target.pause('suspend')],
    ['resume', () => target.resume('suspend')],
    ['lock-screen', () => target.pause('locked')],
    ['unlock-screen', () => target.resume('locked')],
  ]
  for (const [event, listener] of pairs) options.powerMonitor.on(event as 'suspend', listener)

  let online = options.isOnline()
  if (!online) target.pause('offline')
  const every = options.setInterval ?? ((fn, ms) => setInterval(fn, ms).unref())
  const stopEvery = options.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>))
  const timer = every(() => {
    const now = options.isOnline()
    if (now === online) return
    online = now
    if (now) target.resume('offline')
    else target.pause('offline')
  }, options.onlinePollMs ?? 10_000)

  return () => {
    for (const [event, listener] of pairs) options.powerMonitor.removeListener(event, listener)
    stopEvery(timer)
  }
}
