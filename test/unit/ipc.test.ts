import { describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS, type InvokeMethod, PUSH_CHANNELS } from '../../common/contract'
import {
  createInvokeHandlers,
  PAYLOAD_SCHEMAS,
  pushProxyAuth,
  registerIpc,
  type SeatsBackend,
  type SenderEvent,
} from '../../main/platform/ipc'

/** A backend that records what reached it. */
function recordingBackend() {
  const calls: [string, unknown[]][] = []
  const backend = new Proxy({} as SeatsBackend, {
    get:
      (_t, method: string) =>
      async (...args: unknown[]) => {
        calls.push([method, args])
        return `${method} done`
      },
  })
  return { backend, calls }
}

const OUR_WINDOW = 7
const trust = { webContentsIds: new Set([OUR_WINDOW]) }

/** An IPC event as Electron builds it: the sender webContents and the frame that sent it. */
function event(opts: { id?: number; url?: string; subframe?: boolean; noFrame?: boolean } = {}): SenderEvent {
  const mainFrame = { url: opts.url ?? 'app://seat-tray/index.html' }
  const senderFrame = opts.noFrame ? null : opts.subframe ? { url: mainFrame.url } : mainFrame
  return { sender: { id: opts.id ?? OUR_WINDOW, mainFrame }, senderFrame } as unknown as SenderEvent
}

const GOOD: Record<InvokeMethod, unknown[]> = {
  getState: [],
  refresh: [],
  signIn: [{ dataCenter: 'EU', via: 'browser' }],
  cancelSignIn: [],
  signOut: ['acct-1'],
  startDemo: [],
  getHistory: [{ accountId: 'acct-1', range: '30d', maxPoints: 400 }],
  exportCsv: [{ accountId: 'acct-1', range: '1y' }],
  getSettings: [],
  updateSettings: [
    { pollMinutes: 5, notify: { freed: false }, lowThreshold: { unit: 'percent', value: 10 } },
  ],
  setClient: [{ clientId: '1000.ABC', clientSecret: 's3cret' }],
  snooze: ['tomorrow'],
  openLink: ['zoho-scopes-help'],
  answerProxyAuth: [{ id: 'proxy-1', username: 'CORP\\ann', password: 'p:ss w0rd', remember: true }],
  getSeatHolders: ['acct-1'],
  exportSeatHolders: ['acct-1'],
  openSeatHolderPage: [{ accountId: 'acct-1', holderId: '4150868000000300001' }],
  getAbout: [],
  copyDiagnostics: [],
  getUpdate: [],
  restartToUpdate: [],
  quit: [],
}

describe('IPC from the window', () => {
  it('registers exactly the channels of the contract, and removes them again', () => {
    const handled = new Set<string>()
    const ipcMain = {
      handle: (channel: string) => void handled.add(channel),
      removeHandler: (channel: string) => void handled.delete(channel),
    }
    const unregister = registerIpc(ipcMain, recordingBackend().backend, trust)
    expect([...handled].sort()).toEqual(Object.values(INVOKE_CHANNELS).sort())
    unregister()
    expect(handled.size).toBe(0)
  })

  it('passes well-formed requests from our window to the app', async () => {
    const { backend, calls } = recordingBackend()
    const handlers = createInvokeHandlers(backend, trust)
    for (const method of Object.keys(GOOD) as InvokeMethod[]) {
      await expect(handlers[method](event(), ...GOOD[method])).resolves.toBe(`${method} done`)
    }
    expect(calls.map(([m]) => m)).toEqual(Object.keys(GOOD))
    expect(calls.find(([m]) => m === 'signOut')?.[1]).toEqual(['acct-1'])
  })

  it('refuses requests from a window that is not ours, a subframe, or a page ours was navigated to', async () => {
    const { backend, calls } = recordingBackend()
    const handlers = createInvokeHandlers(backend, trust)
    for (const e of [
      event({ id: 99 }),
      event({ subframe: true }),
      event({ noFrame: true }),
      event({ url: 'https://accounts.zoho.com/signin' }),
      event({ url: 'file:///tmp/evil.html' }),
      event({ url: 'app://seat-tray.evil/index.html' }),
    ]) {
      await expect(handlers.getState(e)).rejects.toThrow(/did not come from Seat Tray's window/)
    }
    expect(calls).toEqual([])
  })

  it("trusts electron-vite's dev server only when told to", async () => {
    const { backend } = recordingBackend()
    const dev = event({ url: 'http://localhost:5173/index.html' })
    await expect(createInvokeHandlers(backend, trust).getState(dev)).rejects.toThrow()
    const devTrust = { ...trust, devServer: 'http://localhost:5173' }
    await expect(createInvokeHandlers(backend, devTrust).getState(dev)).resolves.toBe('getState done')
  })

  it.each([
    ['refresh', [42]],
    ['refresh', ['a', 'b']],
    ['signIn', [{ dataCenter: 'MARS', via: 'window' }]],
    ['signIn', [{ dataCenter: 'EU', via: 'window', url: 'https://evil.example' }]],
    ['signIn', []],
    ['signOut', ['']],
    ['signOut', [{ id: 'a' }]],
    ['getHistory', [{ accountId: 'a', range: '2d' }]],
    ['getHistory', [{ accountId: 'a', range: '7d', maxPoints: 1e9 }]],
    ['exportCsv', [{ accountId: 'a', range: '7d', path: '/etc/passwd' }]],
    // The seat holders CSV is built in main from what it read: the window names the account, nothing else.
    ['exportSeatHolders', []],
    ['exportSeatHolders', ['']],
    ['exportSeatHolders', [{ accountId: 'a' }]],
    ['exportSeatHolders', ['a', 'name,email\r\n"Eve","eve@evil.example"']],
    ['exportSeatHolders', ['a', { path: '/etc/passwd' }]],
    ['updateSettings', [{ pollMinutes: 0 }]],
    ['updateSettings', [{ pollMinutes: 2.5 }]],
    ['updateSettings', [{ accounts: [] }]],
    ['updateSettings', [{ clientId: 'x' }]],
    ['updateSettings', [{ notify: { out: 'yes' } }]],
    ['updateSettings', [{ lowThreshold: { unit: 'percent', value: 150 } }]],
    ['updateSettings', [{ acceptPlainTextSecrets: 'yes' }]],
    ['updateSettings', [{ acceptPlainTextSecrets: true, vaultBackend: 'keychain' }]],
    ['updateSettings', [{ vaultNeedsConsent: false }]],
    ['setClient', [{ clientId: 'id', clientSecret: '   ' }]],
    ['setClient', [{ clientId: 'id' }]],
    ['snooze', ['next-week']],
    ['snooze', [Date.UTC(2026, 0, 1)]],
    ['snooze', [Number.NaN]],
    ['openLink', ['https://evil.example']],
    ['openLink', ['file:///etc/passwd']],
    ['getState', ['extra']],
    ['getAbout', ['a path to read']],
    ['copyDiagnostics', [{ include: 'secrets' }]],
    ['restartToUpdate', [true]],
    ['quit', ['now']],
    ['answerProxyAuth', [{ id: 'proxy-1', cancel: false }]],
    ['answerProxyAuth', [{ id: 'proxy-1', username: 'ann', password: 'x' }]],
    ['answerProxyAuth', [{ id: 'proxy-1', username: 'ann:evil', password: 'x', remember: false }]],
    ['answerProxyAuth', [{ id: 'proxy-1', username: '', password: 'x', remember: false }]],
    ['answerProxyAuth', [{ id: '', cancel: true }]],
    ['answerProxyAuth', [{ id: 'proxy-1', cancel: true, host: 'evil.example' }]],
    ['getSeatHolders', []],
    ['getSeatHolders', [{ accountId: 'acct-1' }]],
    ['getSeatHolders', ['x'.repeat(201)]],
    ['openSeatHolderPage', [{ accountId: 'acct-1', url: 'https://evil.example' }]],
    ['openSeatHolderPage', [{ accountId: 'acct-1', holderId: '../settings' }]],
  ] as [InvokeMethod, unknown[]][])('refuses a malformed %s request %j', async (method, args) => {
    const { backend, calls } = recordingBackend()
    await expect(createInvokeHandlers(backend, trust)[method](event(), ...args)).rejects.toThrow(/Refused/)
    expect(calls).toEqual([])
  })

  it('lets the window pass on the person’s answer about keeping the sign-in in a fixed-key file', async () => {
    const { backend, calls } = recordingBackend()
    const handlers = createInvokeHandlers(backend, trust)
    await handlers.updateSettings(event(), { acceptPlainTextSecrets: true })
    await handlers.updateSettings(event(), { acceptPlainTextSecrets: false })
    expect(calls).toEqual([
      ['updateSettings', [{ acceptPlainTextSecrets: true }]],
      ['updateSettings', [{ acceptPlainTextSecrets: false }]],
    ])
  })

  it('passes the proxy answer on, Cancel included, and asks the window without ever sending a password', () => {
    const sent: [string, unknown][] = []
    const contents = {
      isDestroyed: () => false,
      send: (channel: string, payload: unknown) => sent.push([channel, payload]),
    }
    const request = {
      id: 'proxy-1',
      host: 'proxy.corp',
      port: 3128,
      realm: 'Corp',
      scheme: 'basic',
      retry: false,
    }
    pushProxyAuth(contents as never, request)
    expect(sent).toEqual([[PUSH_CHANNELS.onProxyAuth, request]])
    expect(PAYLOAD_SCHEMAS.answerProxyAuth.safeParse([{ id: 'proxy-1', cancel: true }]).success).toBe(true)
  })

  it('has a schema for every channel', () => {
    expect(Object.keys(PAYLOAD_SCHEMAS).sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort())
  })
})
