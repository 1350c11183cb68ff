/**
 * The app's life in Electron (main/platform/lifecycle.ts), against a stand-in `app` that records what it was asked:
 * one instance at a time, a clean stop before quitting, launch at login for an installed app only.
 */
import { EventEmitter } from 'node:events'
import type { App } from 'electron'
import { describe, expect, it } from 'vitest'
import { applyLoginItem, holdSingleInstance, stopBeforeQuit } from '../../main/platform/lifecycle'

class FakeApp extends EventEmitter {
  quits = 0
  loginItems: unknown[] = []
  constructor(
    private readonly lock: boolean,
    readonly isPackaged = true,
  ) {
    super()
  }
  requestSingleInstanceLock() {
    return this.lock
  }
  quit() {
    this.quits++
    this.emit('before-quit', { preventDefault: () => {} })
  }
  setLoginItemSettings(settings: unknown) {
    this.loginItems.push(settings)
  }
}

const asApp = (fake: FakeApp) => fake as unknown as App

describe('one Seat Tray at a time', () => {
  it('leaves at once when another is running, and shows the running one’s window on a second launch', () => {
    const second = new FakeApp(false)
    expect(holdSingleInstance(asApp(second), () => {})).toBe(false)
    expect(second.quits).toBe(1)

    const first = new FakeApp(true)
    let shown = 0
    expect(holdSingleInstance(asApp(first), () => shown++)).toBe(true)
    first.emit('second-instance')
    expect(shown).toBe(1)
    // Closing the window is not quitting: a listener is there, so Electron does not quit on its own.
    expect(first.listenerCount('window-all-closed')).toBe(1)
  })
})

describe('quitting', () => {
  it('waits for the clean stop, then quits once, even when the stop fails', async () => {
    const app = new FakeApp(true)
    const reported: string[] = []
    let stops = 0
    const quitting = stopBeforeQuit(
      asApp(app),
      async () => {
        stops++
        throw new Error('history could not flush')
      },
      (what) => reported.push(what),
    )
    expect(quitting()).toBe(false)
    app.emit('before-quit', { preventDefault: () => {} })
    expect(quitting()).toBe(true)
    await new Promise((r) => setImmediate(r))
    expect(stops).toBe(1)
    expect(app.quits).toBe(1)
    expect(reported).toEqual(['Stopping cleanly'])
  })
})

describe('launch at login', () => {
  it('is never registered by a copy run from source, which would register Electron itself', () => {
    const dev = new FakeApp(true, false)
    applyLoginItem(asApp(dev), true)
    expect(dev.loginItems).toEqual([])
  })

  it('uses the OS login items for an installed app on Windows and macOS', () => {
    const real = process.platform
    try {
      for (const platform of ['win32', 'darwin'] as const) {
        Object.defineProperty(process, 'platform', { value: platform })
        const installed = new FakeApp(true, true)
        applyLoginItem(asApp(installed), true)
        applyLoginItem(asApp(installed), false)
        expect(installed.loginItems).toEqual([{ openAtLogin: true }, { openAtLogin: false }])
      }
    } finally {
      Object.defineProperty(process, 'platform', { value: real })
    }
  })
})
