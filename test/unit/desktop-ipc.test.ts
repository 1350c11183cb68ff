/**
 * The About, diagnostics and update channels answer only Seat Tray's own window, take no arguments, and register
 * and unregister exactly the channels the contract names.
 */
import { describe, expect, it } from 'vitest'
import { DESKTOP_INVOKE_CHANNELS } from '../../common/contract'
import {
  createDesktopHandlers,
  type DesktopBackend,
  registerDesktopIpc,
  type SenderEvent,
} from '../../main/platform/ipc'

const OUR_WINDOW = 7
const trust = { webContentsIds: new Set([OUR_WINDOW]) }

function event(opts: { id?: number; url?: string } = {}): SenderEvent {
  const mainFrame = { url: opts.url ?? 'app://seat-tray/index.html' }
  return {
    sender: { id: opts.id ?? OUR_WINDOW, mainFrame },
    senderFrame: mainFrame,
  } as unknown as SenderEvent
}

function backend() {
  const calls: string[] = []
  const b: DesktopBackend = {
    getAbout: async () => {
      calls.push('getAbout')
      return {
        version: '0.1.0',
        electron: '45.5.0',
        chromium: '142',
        node: '22',
        os: 'Linux',
        dataCenters: ['EU'],
        dataFolder: '/d',
        logFile: null,
      }
    },
    copyDiagnostics: async () => {
      calls.push('copyDiagnostics')
      return { characters: 10 }
    },
    getUpdate: async () => ({ line: null, canRestart: false }),
    restartToUpdate: async () => {
      calls.push('restartToUpdate')
    },
  }
  return { b, calls }
}

describe('the desktop channels', () => {
  it('answer our window and refuse another page, another window, and any argument', async () => {
    const { b, calls } = backend()
    const handlers = createDesktopHandlers(b, trust)
    await expect(handlers.getAbout(event())).resolves.toMatchObject({ version: '0.1.0' })
    await expect(handlers.copyDiagnostics(event({ id: 99 }))).rejects.toThrow(
      /did not come from Seat Tray's window/,
    )
    await expect(handlers.copyDiagnostics(event({ url: 'https://evil.example/' }))).rejects.toThrow(
      /did not come/,
    )
    await expect(handlers.restartToUpdate(event(), { force: true })).rejects.toThrow(
      /Refused restartToUpdate/,
    )
    expect(calls).toEqual(['getAbout'])
  })

  it('register exactly the contract’s channels and remove them again', () => {
    const handled = new Set<string>()
    const ipcMain = {
      handle: (channel: string) => void handled.add(channel),
      removeHandler: (channel: string) => void handled.delete(channel),
    }
    const unregister = registerDesktopIpc(ipcMain, backend().b, trust)
    expect([...handled].sort()).toEqual(Object.values(DESKTOP_INVOKE_CHANNELS).sort())
    unregister()
    expect(handled.size).toBe(0)
  })
})
