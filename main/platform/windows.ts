/**
 * The one window: a small popup anchored to the tray icon that hides when it loses focus (menubar's behaviour), or,
 * where there is no tray to anchor to, an ordinary window. Closing it hides it: the app lives on in the tray.
 */
import { BrowserWindow, type Rectangle, screen } from 'electron'
import { APP_ENTRY_URL } from './app-url'
import { windowPosition } from './tray-position'

export interface PopupWindowOptions {
  preload: string
  /** electron-vite's dev server URL, when running under `electron-vite dev`. */
  devServer?: string
  /** 'popup' next to the tray; 'standalone' when there is no tray host (a framed, taskbar window). */
  mode: 'popup' | 'standalone'
  /** True once the app is quitting: then close really closes. */
  isQuitting(): boolean
}

export interface PopupWindow {
  readonly window: BrowserWindow
  /** Shows the window next to the tray icon, or hides it if it is showing (a second click on the icon). */
  toggle(trayBounds: Rectangle | null): void
  show(trayBounds: Rectangle | null): void
  hide(): void
  /** Runs `task` (a native dialog) without the popup hiding when the dialog takes the focus. */
  keepOpen<T>(task: () => Promise<T>): Promise<T>
}

const SIZE = { width: 380, height: 560 }
/** menubar: a blur caused by clicking the tray icon must not re-open the window that click just closed. */
const BLUR_GRACE_MS = 300

export function createPopupWindow(options: PopupWindowOptions): PopupWindow {
  const popup = options.mode === 'popup'
  const window = new BrowserWindow({
    ...SIZE,
    show: false,
    title: 'Seat Tray',
    frame: !popup,
    resizable: !popup,
    movable: !popup,
    minimizable: !popup,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: popup,
    alwaysOnTop: popup,
    backgroundColor: '#00000000',
    // Spelled out here (not built by a helper) so reviewers and electronegativity see them where the window is made.
    webPreferences: {
      // Exposes exactly SeatsApi, nothing raw (test/unit/preload-surface.test.ts).
      preload: options.preload /* eng-disable PRELOAD_JS_CHECK */,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click would ask for a new window; the open handler denies it anyway, this stops it earlier.
      disableBlinkFeatures: 'Auxclick',
    },
  })
  window.removeMenu()
  void window.loadURL(options.devServer ?? APP_ENTRY_URL)

  let hiddenByBlurAt = 0
  let pinned = 0
  if (popup) {
    window.setVisibleOnAllWorkspaces(true, { skipTransformProcessType: true })
    window.on('blur', () => {
      if (pinned > 0 || window.webContents.isDevToolsOpened()) return
      hiddenByBlurAt = Date.now()
      window.hide()
    })
  }
  window.on('close', (event) => {
    if (options.isQuitting()) return
    event.preventDefault()
    window.hide()
  })

  const show = (trayBounds: Rectangle | null) => {
    if (popup) place(window, trayBounds)
    window.show()
    window.focus()
  }

  return {
    window,
    show,
    hide: () => window.hide(),
    async keepOpen(task) {
      pinned++
      try {
        return await task()
      } finally {
        pinned--
      }
    },
    toggle(trayBounds) {
      if (window.isVisible()) return window.hide()
      if (popup && Date.now() - hiddenByBlurAt < BLUR_GRACE_MS) return
      show(trayBounds)
    },
  }
}

/** Recomputed on every show: the taskbar may have moved, or the icon to another display (menubar#232). */
function place(window: BrowserWindow, trayBounds: Rectangle | null): void {
  const cursor = screen.getCursorScreenPoint()
  const bounds = trayBounds ?? { x: 0, y: 0, width: 0, height: 0 }
  const display = bounds.width > 0 ? screen.getDisplayMatching(bounds) : screen.getDisplayNearestPoint(cursor)
  const [width, height] = window.getSize()
  const { x, y } = windowPosition({
    platform: process.platform,
    trayBounds: bounds,
    windowSize: { width: width ?? SIZE.width, height: height ?? SIZE.height },
    displayBounds: display.bounds,
    workArea: display.workArea,
    cursor,
  })
  window.setPosition(x, y)
}
