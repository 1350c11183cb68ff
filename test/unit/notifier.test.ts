import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { type Notice, noticeDestination } from '../../main/core/ports'
import { RecordingNotifier } from '../doubles/recording-notifier'

// Electron cannot run here, so its Notification is played by a recorder with the same surface.
const electron = vi.hoisted(() => ({ supported: true, created: [] as FakeNotification[] }))

class FakeNotification extends EventEmitter {
  shown = false
  constructor(
    readonly options: {
      title: string
      body: string
      icon?: unknown
      actions?: { type: string; text?: string }[]
    },
  ) {
    super()
    electron.created.push(this)
  }
  static isSupported(): boolean {
    return electron.supported
  }
  show(): void {
    this.shown = true
  }
}

vi.mock('electron', () => ({ Notification: FakeNotification }))

const { ElectronNotifier } = await import('../../main/platform/notifier')

const outNotice: Notice = {
  kind: 'out',
  accountId: 'acc-1',
  title: 'No seats left',
  body: 'Acme has 0 of 25 free.',
}

beforeEach(() => {
  electron.supported = true
  electron.created.length = 0
})

describe('desktop notifications', () => {
  it('shows the title and body the core chose', () => {
    new ElectronNotifier({ onClick: () => {} }).show(outNotice)
    expect(electron.created).toHaveLength(1)
    expect(electron.created[0]?.options).toMatchObject({
      title: 'No seats left',
      body: 'Acme has 0 of 25 free.',
    })
    expect(electron.created[0]?.shown).toBe(true)
  })

  it('opens the window on that account when the notification is clicked', () => {
    const opened: (string | null)[] = []
    const notifier = new ElectronNotifier({ onClick: (n) => opened.push(n.accountId) })
    notifier.show(outNotice)
    notifier.show({ ...outNotice, kind: 'renewal', accountId: null })
    electron.created[0]?.emit('click')
    electron.created[1]?.emit('click')
    expect(opened).toEqual(['acc-1', null])
  })

  const showWho: Notice = {
    ...outNotice,
    body: 'All 25 purchased seats are in use. 2 invites never accepted hold seats.',
    action: { label: 'Show who', opens: 'seat-holders' },
  }

  for (const platform of ['darwin', 'win32'] as const) {
    it(`offers “Show who” as a button on ${platform}, and a click on it opens who holds the seats`, () => {
      const opened: Notice[] = []
      const notifier = new ElectronNotifier({ onClick: (n) => opened.push(n), platform })
      notifier.show(showWho)
      expect(electron.created[0]?.options.actions).toEqual([{ type: 'button', text: 'Show who' }])
      // Electron 45 hands the index in the event's details (and, deprecated, as a second argument).
      electron.created[0]?.emit('action', { actionIndex: 0, selectionIndex: -1 }, 0)
      expect(opened.map(noticeDestination)).toEqual([{ accountId: 'acc-1', view: 'seat-holders' }])
      expect(notifier.keptCount).toBe(0)
    })
  }

  it('on Linux, where Electron shows no buttons, offers none, and a click on the notice opens who holds the seats', () => {
    const opened: Notice[] = []
    new ElectronNotifier({ onClick: (n) => opened.push(n), platform: 'linux' }).show(showWho)
    expect(electron.created[0]?.options).not.toHaveProperty('actions')
    expect(electron.created[0]?.options.body).toBe(showWho.body)
    electron.created[0]?.emit('click')
    expect(opened.map(noticeDestination)).toEqual([{ accountId: 'acc-1', view: 'seat-holders' }])
  })

  it('offers no button on a notice with nothing to do, on any OS', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      new ElectronNotifier({ onClick: () => {}, platform }).show(outNotice)
    }
    expect(electron.created.map((n) => n.options.actions)).toEqual([undefined, undefined, undefined])
  })

  it('stays quiet where the OS has no notification service', () => {
    electron.supported = false
    new ElectronNotifier({ onClick: () => {} }).show(outNotice)
    expect(electron.created).toEqual([])
  })

  it('keeps each shown notification referenced until it is clicked or closed, so its click still works', () => {
    const notifier = new ElectronNotifier({ onClick: () => {} })
    notifier.show(outNotice)
    notifier.show(outNotice)
    notifier.show(outNotice)
    expect(notifier.keptCount).toBe(3)
    electron.created[0]?.emit('click')
    electron.created[1]?.emit('close')
    electron.created[2]?.emit('failed')
    expect(notifier.keptCount).toBe(0)
  })

  it('never holds more than 20, even when the OS never reports them closed', () => {
    const notifier = new ElectronNotifier({ onClick: () => {} })
    for (let i = 0; i < 50; i++) notifier.show(outNotice)
    expect(notifier.keptCount).toBe(20)
  })
})

describe('the recording notifier (a test double)', () => {
  it('remembers what was shown, in order, and by kind', () => {
    const recorder = new RecordingNotifier()
    recorder.show(outNotice)
    recorder.show({ ...outNotice, kind: 'freed', title: 'A seat is free' })
    expect(recorder.shown.map((n) => n.kind)).toEqual(['out', 'freed'])
    expect(recorder.ofKind('freed')).toHaveLength(1)
    recorder.clear()
    expect(recorder.shown).toEqual([])
  })
})
