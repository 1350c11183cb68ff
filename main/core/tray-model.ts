/**
 * What the tray shows: the badge number, its colour (tone), the tooltip and one menu line per account.
 *
 * Tone of one account, first match wins:
 * 1. signed-out — not signed in, or a problem whose fix is signing in.
 * 2. offline    — the computer is offline, or Zoho could not be reached (offline, unreachable, timeout).
 * 3. error      — a problem a person must fix (ask the admin, check the client), or a passing problem (Zoho error,
 *                 throttling) once the last good data is stale. While the data is fresh a passing problem keeps the
 *                 seat tone: the number is still right and a 30-second blip should not turn the icon red.
 * 4. stale      — no problem, but the last good reading is older than the stale limit (or there is none yet).
 * 5. out / low / ok from the last reading.
 * With several accounts the badge shows the worst one, in the order out > low > error > signed-out > offline >
 * stale > ok: seats running out is what the person installed this for, an error or a sign-in is next because it hides
 * the answer, and greyed states (offline, stale) are not alarming.
 */

import type { AccountPhase, AccountView, AppState, Snapshot, Tone } from '../../common/model'
import type { Problem } from '../../common/problems'
import { seatLevel } from './alerts'
import type { TrayModel } from './ports'
import { singleLine } from './text'
import { trayMenuTemplate } from './tray-menu'

export interface TrayModelOptions {
  /** False when the operating system reports no network; every signed-in account then shows as offline. */
  online?: boolean
  /** Last good data older than this is stale; see staleAfter. */
  staleAfterMs?: number
  /** For times in the tooltip; the system's by default. */
  locale?: string
  timeZone?: string
}

export interface ToneInput {
  phase: AccountPhase
  latest: Snapshot | null
  problem: Problem | null
  lowAt: number
  lastGoodAt: number | null
}

export function accountTone(a: ToneInput, now: number, staleAfterMs: number): Tone {
  const problem = a.problem
  if (a.phase === 'signed-out' || problem?.action === 'sign-in') return 'signed-out'
  if (problem && NETWORK_PROBLEMS.has(problem.kind)) return 'offline'
  const stale = a.lastGoodAt === null || now - a.lastGoodAt > staleAfterMs
  if (problem && (PERSON_FIXES.has(problem.action) || stale)) return 'error'
  if (stale || !a.latest) return 'stale'
  return seatLevel(a.latest.available, a.lowAt)
}

/**
 * When data counts as stale: three missed checks, but never under an hour, so a 1-minute interval does not grey
 * the icon over a short hiccup and a 60-minute interval is not stale the moment it is due.
 */
export function staleAfter(intervalMs: number): number {
  return Math.max(3 * intervalMs, HOUR)
}

/** The tray's whole view from one state: badge, tooltip and menu agree because they come from the same accounts. */
export function trayView(state: AppState, now: number, o: Omit<TrayModelOptions, 'online'> = {}): TrayModel {
  const model = trayModel(state.accounts, now, { ...o, online: state.online })
  return { ...model, menu: trayMenuTemplate(model, state, now, o.locale) }
}

export function trayModel(
  accounts: AccountView[],
  now: number,
  o: TrayModelOptions = {},
): Omit<TrayModel, 'menu'> {
  if (accounts.length === 0) {
    return { badge: '?', tone: 'signed-out', tooltip: 'Seat Tray: not signed in', accountLines: [] }
  }
  const ranked = rank(accounts, now, o)
  const worst = ranked[0]!
  const lines = accounts.map((a) => accountLine(a, tone(a, now, o), now, o))
  return {
    badge: badgeFor(worst.account, worst.tone),
    tone: worst.tone,
    tooltip: lines.join('\n'),
    accountLines: lines,
  }
}

/** The account the badge shows: the worst by the order above, the first listed on a tie. */
export function worstAccount(
  accounts: AccountView[],
  now: number,
  o: TrayModelOptions = {},
): AccountView | null {
  return rank(accounts, now, o)[0]?.account ?? null
}

/** `0`…`99`, `99+` beyond that, or `–` when there is no number to show. */
export function badgeText(available: number | null): string {
  if (available === null || !Number.isFinite(available)) return '–'
  const n = Math.max(0, Math.floor(available))
  return n > 99 ? '99+' : String(n)
}

const HOUR = 3_600_000
const DEFAULT_STALE_AFTER_MS = staleAfter(15 * 60_000)
/** Windows cuts a tray tooltip at 127 characters (NOTIFYICONDATA.szTip is 128 with the terminator). */
const MAX_LINE = 127
const MIN_LABEL = 16

const NETWORK_PROBLEMS = new Set<Problem['kind']>(['offline', 'unreachable', 'timeout'])
const PERSON_FIXES = new Set<Problem['action']>(['ask-admin', 'check-client'])
const SEVERITY: Tone[] = ['out', 'low', 'error', 'signed-out', 'offline', 'stale', 'ok']

function tone(a: AccountView, now: number, o: TrayModelOptions): Tone {
  const t = accountTone(a, now, o.staleAfterMs ?? DEFAULT_STALE_AFTER_MS)
  return o.online === false && t !== 'signed-out' ? 'offline' : t
}

function rank(accounts: AccountView[], now: number, o: TrayModelOptions) {
  const toned = accounts.map((account, index) => ({ account, index, tone: tone(account, now, o) }))
  return toned.sort((a, b) => SEVERITY.indexOf(a.tone) - SEVERITY.indexOf(b.tone) || a.index - b.index)
}

/** Signed out shows `?` and an error `!`; greyed states keep the last known number, which the tooltip dates. */
function badgeFor(account: AccountView, t: Tone): string {
  if (t === 'signed-out') return '?'
  if (t === 'error') return '!'
  return badgeText(account.latest?.available ?? null)
}

/** "Acme Ltd: 1 of 25 seats free (24 active) · checked 09:15", plus what is wrong, if anything. */
function accountLine(a: AccountView, t: Tone, now: number, o: TrayModelOptions): string {
  const parts: string[] = []
  if (t === 'signed-out') parts.push(a.problem ? firstSentence(a.problem.message) : 'not signed in')
  else if (a.latest) parts.push(seatsPhrase(a.latest))
  else parts.push(a.phase === 'signing-in' ? 'signing in…' : 'checking…')

  if (t !== 'signed-out' && a.lastGoodAt !== null) parts.push(`checked ${checkedAt(a.lastGoodAt, now, o)}`)
  if (t !== 'signed-out' && a.problem) parts.push(firstSentence(a.problem.message))
  else if (t === 'offline') parts.push('offline')
  // The name is the org's own (whoever runs that org chose it): one line, or it would add lines to the tooltip.
  return trimLine(singleLine(a.label, MAX_LINE) || 'Zoho CRM', `: ${singleLine(parts.join(' · '), MAX_LINE)}`)
}

function seatsPhrase(s: Snapshot): string {
  return `${s.available} of ${s.purchased} ${s.purchased === 1 ? 'seat' : 'seats'} free (${s.active} active)`
}

/** The clock time, with the day in front when it was not today (in the same time zone). */
function checkedAt(at: number, now: number, o: TrayModelOptions): string {
  const time = formatter(o.locale, { hour: '2-digit', minute: '2-digit', timeZone: o.timeZone })
  const day = formatter('en-CA', { dateStyle: 'short', timeZone: o.timeZone })
  if (day.format(at) === day.format(now)) return time.format(at)
  const date = formatter(o.locale, { day: 'numeric', month: 'short', timeZone: o.timeZone })
  return `${date.format(at)} ${time.format(at)}`
}

/** Building an Intl formatter costs far more than using one, and the tray model is rebuilt on every check. */
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locale ?? null, options])
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options)
    formatters.set(key, f)
  }
  return f
}

/** The catalogue's sentences are written for the window; the tray has room for the first one only. */
function firstSentence(message: string): string {
  const end = message.search(/[.!?](\s|$)/)
  return end === -1 ? message : message.slice(0, end)
}

/** Keeps the numbers: a long org name gives way first, then the end of the line. */
function trimLine(label: string, rest: string): string {
  const line = `${label}${rest}`
  if (line.length <= MAX_LINE) return line
  const room = MAX_LINE - rest.length
  if (room >= MIN_LABEL && label.length > room) return `${singleLine(label, room)}${rest}`
  const shortened = label.length > MIN_LABEL ? `${singleLine(label, MIN_LABEL)}${rest}` : line
  return shortened.length <= MAX_LINE ? shortened : `${shortened.slice(0, MAX_LINE - 1)}…`
}
