/**
 * The tray's context menu as plain data, derived from the app state with the tray's lines. Pure, so it is
 * tested in Node; platform/tray.ts turns it into a Menu and routes each item's command. The menu is the one interaction that
 * works on every desktop (some Linux panels never deliver a left click), so everything is reachable from here.
 */
import { SNOOZE_MORNING_HOUR, type SnoozeChoice } from '../../common/contract'
import type { AccountId, AppState } from '../../common/model'
import { singleLine } from './text'

export type TrayCommand =
  | { kind: 'open' }
  | { kind: 'show-account'; accountId: AccountId }
  | { kind: 'refresh' }
  | { kind: 'snooze'; choice: SnoozeChoice | null }
  | { kind: 'sign-in' }
  | { kind: 'sign-out'; accountId: AccountId }
  | { kind: 'settings' }
  /** The About view: version, Electron/Chromium/Node, data center, data folder, "Copy diagnostics". */
  | { kind: 'about' }
  | { kind: 'quit' }

export interface TrayMenuEntry {
  /** Stable ids, so the E2E suite can click items through `menu.getMenuItemById`. */
  id?: string
  label?: string
  type?: 'normal' | 'separator' | 'submenu'
  enabled?: boolean
  command?: TrayCommand
  submenu?: TrayMenuEntry[]
}

/** Room for a name in a menu item; the account lines themselves come trimmed from the tray model. */
const MENU_NAME_MAX = 100

/**
 * `lines`: one line per account of `state`, in the same order, built from the same state (see trayView).
 * `locale`: for the times in the menu; the system's (the person's) when not given.
 */
export function trayMenuTemplate(
  lines: { accountLines: readonly string[] },
  state: AppState,
  now: number,
  locale?: string,
): TrayMenuEntry[] {
  return [
    ...accountEntries(lines.accountLines, state),
    separator(),
    {
      id: 'refresh',
      label: 'Refresh now',
      enabled: state.accounts.some((a) => a.phase === 'ready' || a.phase === 'first-poll'),
      command: { kind: 'refresh' },
    },
    snoozeEntry(state, now, locale),
    separator(),
    { id: 'open', label: 'Open Seat Tray', command: { kind: 'open' } },
    ...signInOutEntries(state),
    { id: 'settings', label: 'Settings…', command: { kind: 'settings' } },
    { id: 'about', label: 'About Seat Tray', command: { kind: 'about' } },
    separator(),
    { id: 'quit', label: 'Quit Seat Tray', command: { kind: 'quit' } },
  ]
}

function accountEntries(lines: readonly string[], state: AppState): TrayMenuEntry[] {
  if (state.accounts.length === 0)
    return [{ id: 'no-accounts', label: 'Not signed in to Zoho', enabled: false }]
  // One line per account; clicking it opens the window on that account.
  return state.accounts.map((account, i) => ({
    id: `account:${account.id}`,
    label: lines[i] ?? menuName(account.label),
    command: { kind: 'show-account', accountId: account.id },
  }))
}

function snoozeEntry(state: AppState, now: number, locale: string | undefined): TrayMenuEntry {
  if (state.snoozedUntil !== null && state.snoozedUntil > now) {
    return {
      id: 'snooze-end',
      label: `Notifications snoozed until ${clockTime(state.snoozedUntil, now, locale)} — resume`,
      command: { kind: 'snooze', choice: null },
    }
  }
  return {
    id: 'snooze',
    label: 'Snooze notifications',
    type: 'submenu',
    submenu: [
      { id: 'snooze-hour', label: 'For 1 hour', command: { kind: 'snooze', choice: 'hour' } },
      {
        id: 'snooze-tomorrow',
        label: `Until ${morningTime(now, locale)} tomorrow`,
        command: { kind: 'snooze', choice: 'tomorrow' },
      },
    ],
  }
}

function signInOutEntries(state: AppState): TrayMenuEntry[] {
  const signedIn = state.accounts.filter((a) => a.phase !== 'signed-out')
  const signIn: TrayMenuEntry = {
    id: 'sign-in',
    label: signedIn.length > 0 ? 'Add a Zoho account…' : 'Sign in to Zoho…',
    enabled: state.signingIn === null,
    command: { kind: 'sign-in' },
  }
  if (signedIn.length === 0) return [signIn]
  if (signedIn.length === 1) {
    const only = signedIn[0]!
    return [
      signIn,
      {
        id: 'sign-out',
        label: `Sign out of ${menuName(only.label)}`,
        command: { kind: 'sign-out', accountId: only.id },
      },
    ]
  }
  return [
    signIn,
    {
      id: 'sign-out',
      label: 'Sign out',
      type: 'submenu',
      submenu: signedIn.map((a) => ({
        id: `sign-out:${a.id}`,
        label: menuName(a.label),
        command: { kind: 'sign-out', accountId: a.id },
      })),
    },
  ]
}

/** An org's name, as its admin typed it, on one menu line. */
function menuName(label: string): string {
  return singleLine(label, MENU_NAME_MAX) || 'Zoho CRM'
}

/** "16:30" or "4:30 PM", as the person's locale writes it; with the weekday in front when it is not today. */
function clockTime(at: number, now: number, locale: string | undefined): string {
  const time = new Date(at).toLocaleTimeString(locale, { timeStyle: 'short' })
  if (new Date(at).toDateString() === new Date(now).toDateString()) return time
  return `${new Date(at).toLocaleDateString(locale, { weekday: 'short' })} ${time}`
}

/** The hour "until tomorrow" ends, in the person's locale ("08:00", "8:00 AM"). */
function morningTime(now: number, locale: string | undefined): string {
  const morning = new Date(now)
  morning.setHours(SNOOZE_MORNING_HOUR, 0, 0, 0)
  return morning.toLocaleTimeString(locale, { timeStyle: 'short' })
}

function separator(): TrayMenuEntry {
  return { type: 'separator' }
}
