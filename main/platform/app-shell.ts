/**
 * The app's shell in Electron: the popup window next to the tray icon, the tray icon itself, notifications, the
 * CSV save dialog, and the pushes to the window. What the shell is for is decided in core; this only draws and routes.
 */
import { type App, type Dialog, Notification, type WebContents } from 'electron'
import type { ProxyAuthRequest, UpdateLine, WindowDestination } from '../../common/contract'
import type { AppState } from '../../common/model'
import type { Notice, Notifier, StateSink, TrayView } from '../core/ports'
import type { TrayCommand } from '../core/tray-menu'
import { pushProxyAuth, pushShow, pushState, pushUpdate } from './ipc'
import { ElectronNotifier } from './notifier'
import { type CsvFile, saveCsvAs } from './save-csv'
import { createTray, NO_TRAY_HINT, type SeatTrayIcon } from './tray'
import { createPopupWindow, type PopupWindow } from './windows'
import type { WindowPort } from './wiring'

export interface ShellOptions {
  app: Pick<App, 'getPath'>
  dialog: Pick<Dialog, 'showSaveDialog'>
  preload: string
  devServer?: string
  /** False on a Linux desktop with no StatusNotifier host: then the window is an ordinary one, with a hint. */
  trayHost: boolean
  isQuitting(): boolean
  onTrayCommand(command: TrayCommand): void
  /** A window that loads (or reloads): what it must be shown again (an open proxy question). */
  onWindowLoaded(): void
}

export interface Shell {
  popup: PopupWindow
  trayIcon: SeatTrayIcon
  tray: TrayView
  sink: StateSink
  window: WindowPort
  notifier(onClick: (notice: Notice) => void): Notifier
  forWindow(state: AppState): AppState
  saveCsv(csv: string, file: CsvFile): Promise<{ saved: boolean; path?: string }>
  /** A downloaded update: one notification (a click shows the window), and the window's update line. */
  announceUpdate(version: string): void
  pushUpdate(line: UpdateLine): void
  pushProxyQuestions(requests: ProxyAuthRequest[]): void
  contents(): WebContents | null
  destroy(): void
}

export function createShell(o: ShellOptions): Shell {
  const popup = createPopupWindow({
    preload: o.preload,
    ...(o.devServer ? { devServer: o.devServer } : {}),
    mode: o.trayHost ? 'popup' : 'standalone',
    isQuitting: o.isQuitting,
  })
  const contents = () => (popup.window.isDestroyed() ? null : popup.window.webContents)
  const trayIcon = createTray({
    onClick: () => popup.toggle(trayBounds()),
    onCommand: o.onTrayCommand,
  })
  function trayBounds() {
    // Only macOS and Windows report where the icon is; Linux gets a zero rectangle.
    const bounds = trayIcon.tray.getBounds()
    return bounds.width > 0 ? bounds : null
  }
  const show = (to?: WindowDestination) => {
    popup.show(trayBounds())
    if (to) pushShow(contents(), to)
  }
  /** What the window sees: the app's state, plus the hint when the desktop has no tray to show us in. */
  const forWindow = (state: AppState): AppState =>
    o.trayHost ? state : { ...state, notices: [...state.notices, NO_TRAY_HINT] }
  popup.window.webContents.on('did-finish-load', o.onWindowLoaded)

  return {
    popup,
    trayIcon,
    tray: { render: (model) => trayIcon.render(model) },
    sink: { publish: (state) => pushState(contents(), forWindow(state)) },
    window: {
      show,
      askProxy: (request: ProxyAuthRequest) => {
        show()
        pushProxyAuth(contents(), request)
      },
    },
    notifier: (onClick) => new ElectronNotifier({ onClick }),
    forWindow,
    saveCsv: (csv, file) =>
      popup.keepOpen(() =>
        saveCsvAs(
          (options) => o.dialog.showSaveDialog(popup.window, options),
          o.app.getPath('documents'),
          csv,
          file,
        ),
      ),
    announceUpdate(version) {
      if (!Notification.isSupported()) return
      const notice = new Notification({
        title: `Seat Tray ${version} is ready`,
        body: 'It installs when you quit Seat Tray, or restart now from the window.',
      })
      notice.on('click', () => show())
      notice.show()
    },
    pushUpdate: (line) => pushUpdate(contents(), line),
    pushProxyQuestions: (requests) => {
      for (const request of requests) pushProxyAuth(contents(), request)
    },
    contents,
    destroy: () => trayIcon.destroy(),
  }
}
