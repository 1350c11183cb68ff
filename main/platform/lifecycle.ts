/**
 * The app's life in Electron: one instance at a time, a window closed is not an app quit (it lives in the tray),
 * a clean stop before quitting (no timers left, history flushed), and launch at login for an installed app only.
 */
import type { App } from 'electron'
import { setLinuxAutostart } from './linux-autostart'

/** False when another Seat Tray runs: that one shows its window (second-instance) and this one leaves. */
export function holdSingleInstance(app: App, onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return false
  }
  app.on('second-instance', onSecondLaunch)
  // Closing the window must not quit: the app lives in the tray. Having any listener keeps Electron from quitting.
  app.on('window-all-closed', () => {})
  return true
}

/** Quitting waits for `stop` (a failure is reported, never a reason not to quit), then quits for real. */
export function stopBeforeQuit(
  app: App,
  stop: () => Promise<void>,
  report: (what: string, error: unknown) => void,
): () => boolean {
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting) return
    quitting = true
    event.preventDefault()
    stop()
      .catch((error: unknown) => report('Stopping cleanly', error))
      .finally(() => app.quit())
  })
  return () => quitting
}

/** Launch at login is opt-in, and only registered for an installed app (a dev build would register Electron). */
export function applyLoginItem(app: App, launchAtLogin: boolean): void {
  if (!app.isPackaged) return
  if (process.platform === 'linux') {
    // Electron's login items exist on macOS and Windows only; Linux desktops read ~/.config/autostart.
    setLinuxAutostart(launchAtLogin, { execPath: process.execPath, env: process.env }).catch(() => undefined)
    return
  }
  app.setLoginItemSettings({ openAtLogin: launchAtLogin })
}
