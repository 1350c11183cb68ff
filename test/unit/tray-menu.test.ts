import { describe, expect, it } from 'vitest'
import { type AccountView, type AppState, EMPTY_APP_STATE } from '../../common/model'
import type { TrayModel } from '../../main/core/ports'
import { snoozeUntil, tomorrowMorning } from '../../main/core/snooze'
import { type TrayMenuEntry, trayMenuTemplate } from '../../main/core/tray-menu'

const NOW = new Date(2026, 10, 27, 15, 30).getTime()

function account(id: string, over: Partial<AccountView> = {}): AccountView {
  return {
    id,
    dataCenter: 'EU',
    label: `Org ${id}`,
    phase: 'ready',
    latest: { purchased: 10, active: 8, available: 2, at: NOW, mismatch: false },
    org: null,
    lastAttemptAt: NOW,
    lastGoodAt: NOW,
    nextCheckAt: NOW + 60_000,
    refreshing: false,
    problem: null,
    tone: 'ok',
    lowAt: 1,
    forecast: { kind: 'stable' },
    callsPerDay: 96,
    ...over,
  }
}

function state(over: Partial<AppState> = {}): AppState {
  return {
    ...EMPTY_APP_STATE,
    clientConfigured: true,
    ...over,
  }
}

function model(lines: string[]): Omit<TrayModel, 'menu'> {
  return { badge: '2', tone: 'ok', tooltip: lines.join('\n'), accountLines: lines }
}

function find(entries: TrayMenuEntry[], id: string): TrayMenuEntry | undefined {
  for (const e of entries) {
    if (e.id === id) return e
    const inner = e.submenu && find(e.submenu, id)
    if (inner) return inner
  }
  return undefined
}

describe('the tray menu', () => {
  it('lists the numbers of every account, and opens the window on one when clicked', () => {
    const menu = trayMenuTemplate(
      model(['Acme: 2 of 10 free', 'Beta: 0 of 5 free']),
      state({ accounts: [account('a'), account('b')] }),
      NOW,
    )
    expect(menu[0]).toMatchObject({
      label: 'Acme: 2 of 10 free',
      command: { kind: 'show-account', accountId: 'a' },
    })
    expect(menu[1]).toMatchObject({
      label: 'Beta: 0 of 5 free',
      command: { kind: 'show-account', accountId: 'b' },
    })
  })

  it('always offers refresh, open, settings, About and quit, in that order', () => {
    const ids = trayMenuTemplate(model(['x']), state({ accounts: [account('a')] }), NOW)
      .map((e) => e.id)
      .filter(Boolean)
    expect(ids).toEqual([
      'account:a',
      'refresh',
      'snooze',
      'open',
      'sign-in',
      'sign-out',
      'settings',
      'about',
      'quit',
    ])
  })

  it('asks to sign in when nobody is, and greys out refresh', () => {
    const menu = trayMenuTemplate(model([]), state(), NOW)
    expect(find(menu, 'no-accounts')).toMatchObject({ label: 'Not signed in to Zoho', enabled: false })
    expect(find(menu, 'sign-in')).toMatchObject({ label: 'Sign in to Zoho…', command: { kind: 'sign-in' } })
    expect(find(menu, 'sign-out')).toBeUndefined()
    expect(find(menu, 'refresh')?.enabled).toBe(false)
  })

  it('signs out of the one account, or asks which when there are several', () => {
    const one = trayMenuTemplate(model(['x']), state({ accounts: [account('a')] }), NOW)
    expect(find(one, 'sign-out')).toMatchObject({
      label: 'Sign out of Org a',
      command: { kind: 'sign-out', accountId: 'a' },
    })
    const two = trayMenuTemplate(model(['x', 'y']), state({ accounts: [account('a'), account('b')] }), NOW)
    expect(find(two, 'sign-out:b')?.command).toEqual({ kind: 'sign-out', accountId: 'b' })
  })

  it('does not start a second sign-in while one is in progress', () => {
    const menu = trayMenuTemplate(model(['x']), state({ accounts: [account('a')], signingIn: 'EU' }), NOW)
    expect(find(menu, 'sign-in')?.enabled).toBe(false)
  })

  it('snoozes notifications for an hour or until tomorrow morning', () => {
    const menu = trayMenuTemplate(model(['x']), state({ accounts: [account('a')] }), NOW, 'en-GB')
    expect(find(menu, 'snooze-hour')?.command).toEqual({ kind: 'snooze', choice: 'hour' })
    expect(find(menu, 'snooze-tomorrow')?.command).toEqual({ kind: 'snooze', choice: 'tomorrow' })
    expect(find(menu, 'snooze-tomorrow')?.label).toBe('Until 08:00 tomorrow')
    // The time is picked when the person clicks, by the same rule the window uses.
    const tomorrow = new Date(snoozeUntil('tomorrow', NOW))
    expect([tomorrow.getDate(), tomorrow.getHours(), tomorrow.getMinutes()]).toEqual([28, 8, 0])
    expect(snoozeUntil('hour', NOW)).toBe(NOW + 3_600_000)
  })

  it('while snoozed, says until when and offers to resume', () => {
    const until = NOW + 3_600_000
    const menu = trayMenuTemplate(
      model(['x']),
      state({ accounts: [account('a')], snoozedUntil: until }),
      NOW,
      'en-GB',
    )
    const entry = find(menu, 'snooze-end')
    expect(entry?.label).toContain('16:30')
    expect(entry?.command).toEqual({ kind: 'snooze', choice: null })
    // A snooze that has run out is no snooze.
    const expired = trayMenuTemplate(
      model(['x']),
      state({ accounts: [account('a')], snoozedUntil: NOW - 1 }),
      NOW,
    )
    expect(find(expired, 'snooze')).toBeDefined()
  })

  it("writes its times the way the person's locale does, not always in British 24-hour time", () => {
    const snoozed = state({ accounts: [account('a')], snoozedUntil: NOW + 3_600_000 })
    expect(find(trayMenuTemplate(model(['x']), snoozed, NOW, 'en-US'), 'snooze-end')?.label).toBe(
      'Notifications snoozed until 4:30 PM — resume',
    )
    expect(find(trayMenuTemplate(model(['x']), snoozed, NOW, 'de-DE'), 'snooze-end')?.label).toContain(
      '16:30',
    )
    const open = state({ accounts: [account('a')] })
    expect(find(trayMenuTemplate(model(['x']), open, NOW, 'en-US'), 'snooze-tomorrow')?.label).toBe(
      'Until 8:00 AM tomorrow',
    )
    // Not given a locale, the menu uses the system's, as the tooltip does.
    const system = new Date(NOW + 3_600_000).toLocaleTimeString(undefined, {
      hour: 'numeric',
      minute: '2-digit',
    })
    expect(find(trayMenuTemplate(model(['x']), snoozed, NOW), 'snooze-end')?.label).toContain(system)
  })

  it('rolls "until tomorrow" over month ends', () => {
    const d = new Date(tomorrowMorning(new Date(2026, 11, 31, 23, 59).getTime()))
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours()]).toEqual([2027, 0, 1, 8])
  })
})
