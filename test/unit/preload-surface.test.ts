import { beforeAll, describe, expect, it, vi } from 'vitest'
import { INVOKE_CHANNELS, PUSH_CHANNELS, type SeatsApi, type WindowDestination } from '../../common/contract'

// What the preload hands the page, captured from a stand-in for Electron's contextBridge and ipcRenderer.
const exposed: Record<string, unknown> = {}
const invoked: { channel: string; args: unknown[] }[] = []
const listeners = new Map<string, Set<(...a: unknown[]) => void>>()

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed[key] = api
    },
  },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args })
      return `reply from ${channel}`
    },
    on: (channel: string, fn: (...a: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)!.add(fn)
    },
    removeListener: (channel: string, fn: (...a: unknown[]) => void) => {
      listeners.get(channel)?.delete(fn)
    },
  },
}))

function emit(channel: string, payload: unknown): void {
  const fakeEvent = { sender: { send: () => {} }, senderId: 0 }
  for (const fn of listeners.get(channel) ?? []) fn(fakeEvent, payload)
}

let seats: SeatsApi

beforeAll(async () => {
  await import('../../preload/index')
  seats = exposed.seats as SeatsApi
})

describe('what the window can reach through the preload', () => {
  it('is one global, window.seats, and nothing else', () => {
    expect(Object.keys(exposed)).toEqual(['seats'])
  })

  it('is exactly the SeatsApi methods: no raw ipcRenderer, no send, no Node', () => {
    const expected = [...Object.keys(INVOKE_CHANNELS), ...Object.keys(PUSH_CHANNELS)].sort()
    expect(Object.keys(seats).sort()).toEqual(expected)
    for (const value of Object.values(seats)) expect(typeof value).toBe('function')
    for (const forbidden of [
      'invoke',
      'send',
      'on',
      'ipcRenderer',
      'require',
      'process',
      'shell',
      'openExternal',
    ]) {
      expect(seats, forbidden).not.toHaveProperty(forbidden)
    }
  })

  it('sends each command on its own channel with the arguments as given', async () => {
    const calls: [keyof typeof INVOKE_CHANNELS, unknown[]][] = [
      ['getState', []],
      ['refresh', ['acct-1']],
      ['signIn', [{ dataCenter: 'EU', via: 'window' }]],
      ['cancelSignIn', []],
      ['signOut', ['acct-1']],
      ['startDemo', []],
      ['getHistory', [{ accountId: 'acct-1', range: '7d' }]],
      ['exportCsv', [{ accountId: 'acct-1', range: '30d' }]],
      ['getSettings', []],
      ['updateSettings', [{ pollMinutes: 5 }]],
      ['setClient', [{ clientId: 'id', clientSecret: 'secret' }]],
      ['snooze', [null]],
      ['openLink', ['zoho-api-console']],
      ['answerProxyAuth', [{ id: 'proxy-1', username: 'ann', password: 'pw', remember: false }]],
      ['getSeatHolders', ['acct-1']],
      ['exportSeatHolders', ['acct-1']],
      ['openSeatHolderPage', [{ accountId: 'acct-1', holderId: '4150868000000300001' }]],
      ['getAbout', []],
      ['copyDiagnostics', []],
      ['getUpdate', []],
      ['restartToUpdate', []],
      ['quit', []],
    ]
    expect(calls.map(([m]) => m).sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort())
    for (const [method, args] of calls) {
      invoked.length = 0
      const fn = seats[method] as (...a: unknown[]) => Promise<unknown>
      await expect(fn(...args)).resolves.toBe(`reply from ${INVOKE_CHANNELS[method]}`)
      expect(invoked).toEqual([{ channel: INVOKE_CHANNELS[method], args }])
    }
  })

  it('gives update listeners the update line only, never the IPC event', () => {
    const received: unknown[][] = []
    const stop = seats.onUpdate((...args) => received.push(args))
    emit(PUSH_CHANNELS.onUpdate, { line: 'Seat Tray 0.2.0 is ready', canRestart: true })
    expect(received).toEqual([[{ line: 'Seat Tray 0.2.0 is ready', canRestart: true }]])
    stop()
  })

  it('gives state listeners the state only, never the IPC event', () => {
    const received: unknown[][] = []
    const stop = seats.onState((...args) => received.push(args))
    emit(PUSH_CHANNELS.onState, { accounts: [] })
    expect(received).toEqual([[{ accounts: [] }]])
    stop()
  })

  it('hands proxy questions to their listener, the question only, until it unsubscribes', () => {
    const received: unknown[][] = []
    const request = {
      id: 'proxy-1',
      host: 'proxy.corp',
      port: 3128,
      realm: 'Corp',
      scheme: 'basic',
      retry: true,
    }
    const stop = seats.onProxyAuth((...args) => received.push(args))
    emit(PUSH_CHANNELS.onProxyAuth, request)
    stop()
    emit(PUSH_CHANNELS.onProxyAuth, { ...request, id: 'proxy-2' })
    expect(received).toEqual([[request]])
  })

  it('really stops calling a listener once it unsubscribes', () => {
    const seen: WindowDestination[] = []
    const stop = seats.onShow((to) => seen.push(to))
    emit(PUSH_CHANNELS.onShow, { accountId: 'a', view: 'seat-holders' })
    stop()
    emit(PUSH_CHANNELS.onShow, { view: 'about' })
    expect(seen).toEqual([{ accountId: 'a', view: 'seat-holders' }])
    expect(listeners.get(PUSH_CHANNELS.onShow)?.size).toBe(0)
  })
})
