import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Notice } from '../../main/core/ports'
import { RecordingNotifier } from '../doubles/recording-notifier'

// Electron cannot run here, so its Notification is played by a recorder with the same surface.
const electron = vi.hoisted(() => ({ supported: true, created: [] as FakeNotification[] }))

class FakeNotification extends EventEmitter {
  shown = false
  constructor(readonly options: { title: string; body: string; icon?: unknown }) {
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
