import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'

/** Every BrowserWindow the code under test creates, with its options. */
const created: FakeWindow[] = []

class FakeWindow extends EventEmitter {
  visible = false
  position: [number, number] = [0, 0]
  loaded = ''
  webContents = { id: 1, isDevToolsOpened: () => false }
  constructor(readonly options: Record<string, unknown>) {
    super()
    created.push(this)
  }
  removeMenu() {}
  loadURL(url: string) {
    this.loaded = url
    return Promise.resolve()
  }
  setVisibleOnAllWorkspaces() {}
  isVisible() {
    return this.visible
  }
  show() {
    this.visible = true
  }
  focus() {}
  hide() {
    this.visible = false
  }
  getSize() {
    return [380, 560]
  }
  setPosition(x: number, y: number) {
    this.position = [x, y]
  }
}

vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  screen: {
    getCursorScreenPoint: () => ({ x: 1700, y: 1060 }),
    getDisplayMatching: () => display,
    getDisplayNearestPoint: () => display,
  },
}))

const display = {
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
}
const { createPopupWindow } = await import('../../main/platform/windows')

function popup(mode: 'popup' | 'standalone' = 'popup', quitting = false) {
  const w = createPopupWindow({ preload: '/app/out/preload/index.cjs', mode, isQuitting: () => quitting })
  return { w, fake: created.at(-1)! }
}

describe('the Seat Tray window', () => {
  it('is isolated, sandboxed, without Node, with web security, and loads our page from app://', () => {
    const { fake } = popup()
    expect(fake.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    })
    expect(fake.loaded).toBe('app://seat-tray/index.html')
  })

  it('opens next to the tray icon above a bottom taskbar', () => {
    const { w, fake } = popup()
    w.toggle({ x: 1700, y: 1040, width: 24, height: 40 })
    expect(fake.visible).toBe(true)
    expect(fake.position).toEqual([1712 - 190, 1040 - 560 - 4])
  })

  it('hides when it loses focus, and a click on the icon that caused it does not reopen it', () => {
    const { w, fake } = popup()
    w.show(null)
    fake.emit('blur')
    expect(fake.visible).toBe(false)
    w.toggle(null)
    expect(fake.visible).toBe(false)
  })

  it('stays open while a save dialog has the focus', async () => {
    const { w, fake } = popup()
    w.show(null)
    await w.keepOpen(async () => fake.emit('blur'))
    expect(fake.visible).toBe(true)
  })

  it('hides instead of closing, so the app stays in the tray, until the app quits', () => {
    const { fake } = popup()
    let prevented = false
    fake.emit('close', { preventDefault: () => (prevented = true) })
    expect(prevented).toBe(true)
    const quitting = popup('popup', true).fake
    let preventedOnQuit = false
    quitting.emit('close', { preventDefault: () => (preventedOnQuit = true) })
    expect(preventedOnQuit).toBe(false)
  })

  it('is an ordinary framed window in the taskbar where there is no tray', () => {
    const { fake } = popup('standalone')
    expect(fake.options).toMatchObject({ frame: true, skipTaskbar: false })
    fake.emit('blur')
    expect(fake.listenerCount('blur')).toBe(0)
  })
})
