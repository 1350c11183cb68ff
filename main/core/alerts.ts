/**
 * What deserves a desktop notification. Alerts are edge-triggered: each fires once when a line is crossed, never on
 * every poll, and the memory of what was announced is plain JSON the caller persists, so a restart does not repeat
 * itself.
 *
 * Seat levels, with hysteresis so a seat that flickers does not flood the person:
 * - `out` when available reaches 0; `low` when available ≤ lowAt; `ok` above lowAt.
 * - ok → low announces "low"; ok or low → out announces "out".
 * - Once low or out, only rising above lowAt announces "freed" and re-arms the alarms. So out → low (one seat came
 *   back, still low) says nothing, and low → out → low announces "out" once and "low" never again.
 * - The first reading ever (no memory) announces out or low, because the person wants to know that even on day one,
 *   but never "freed": there is nothing to be relieved about.
 * - Errors never move the level: while a problem is set, the last good reading is old news.
 * Other kinds: "sign-in" once when a problem whose fix is signing in appears (re-armed by the next good check; not
 * for a cancelled or failed sign-in, which the person is looking at);
 * "renewal" once per expiry date that comes within renewalWarnDays.
 * Quiet is not forgetful: while snoozed, or for a kind turned off, memory advances as if the notice had been shown,
 * so nothing floods out when the snooze ends or the setting is turned back on.
 */
import type { AccountId, LowThreshold, OrgInfo, Snapshot } from '../../common/model'
import type { Problem } from '../../common/problems'
import type { NotificationSettings } from '../../common/settings'
import type { AlertKind, Notice } from './ports'

export interface AlertInput {
  accountId: AccountId
  /** The account's display name, used when the org name is not known yet. */
  label: string
  latest: Snapshot | null
  problem: Problem | null
  /** Seats; see resolveLowThreshold. */
  lowAt: number
  org: OrgInfo | null
  renewalWarnDays: number
  notify: NotificationSettings
  /** Repeat an ongoing out/low alert every this many hours; 0 = never. */
  reminderHours: number
  snoozedUntil: number | null
  /** For dates in messages; the system's by default. */
  locale?: string
}

export type SeatLevel = 'ok' | 'low' | 'out'

export interface AlertMemory {
  /** The level last announced (with hysteresis: stays `out` until seats rise above lowAt), null before any reading. */
  level: SeatLevel | null
  /** A sign-in notice went out for the current sign-in problem. */
  signInNotified: boolean
  /** Which expiry the renewal notice was for, as `paid:yyyy-mm-dd` or `trial:yyyy-mm-dd`. */
  renewalNotifiedFor: string | null
  /** When the last out/low notice was due (shown, or kept quiet by a snooze or a setting); reminders count from it. */
  lastNotifiedAt: number | null
}

export const EMPTY_ALERT_MEMORY: AlertMemory = {
  level: null,
  signInNotified: false,
  renewalNotifiedFor: null,
  lastNotifiedAt: null,
}

export function evaluateAlerts(
  previous: AlertMemory | undefined,
  input: AlertInput,
  now: number,
): { memory: AlertMemory; notices: Notice[] } {
  const memory: AlertMemory = { ...EMPTY_ALERT_MEMORY, ...previous }
  const due: Notice[] = []

  const seatNotice = seatCrossing(memory, input, now) ?? reminder(memory, input, now)
  if (seatNotice) due.push(seatNotice)

  const signIn = signInNotice(memory, input)
  if (signIn) due.push(signIn)

  const renewal = renewalNotice(memory, input, now)
  if (renewal) due.push(renewal)

  const snoozed = input.snoozedUntil !== null && now < input.snoozedUntil
  const notices = snoozed ? [] : due.filter((n) => isWanted(n.kind, input.notify))
  return { memory, notices }
}

/**
 * The low threshold in seats. Seats are taken as given (never below 0). A percentage of purchased seats is rounded
 * down, because "low at 10 %" means "at most 10 % of seats free": 10 % of 25 is 2.5, and 2 free seats is 8 % (low)
 * while 3 is 12 % (not). A non-zero percentage still warns at 1 free seat, so a small org is not told only when it
 * is already out.
 */
export function resolveLowThreshold(t: LowThreshold, purchased: number): number {
  const value = Number.isFinite(t.value) ? Math.max(0, t.value) : 0
  if (t.unit === 'seats') return Math.floor(value)
  const seats = Math.floor((Math.max(0, purchased) * value) / 100)
  return value > 0 ? Math.max(1, seats) : 0
}

/** The level a reading means on its own, before hysteresis. */
export function seatLevel(available: number, lowAt: number): SeatLevel {
  if (available <= 0) return 'out'
  return available <= lowAt ? 'low' : 'ok'
}

/** Moves memory.level across a line and returns the notice for it, if any. */
function seatCrossing(memory: AlertMemory, input: AlertInput, now: number): Notice | null {
  const { latest } = input
  if (!latest || input.problem) return null
  const reading = seatLevel(latest.available, input.lowAt)
  const before = memory.level
  const after = withHysteresis(before, reading)
  memory.level = after
  if (after === before) return null
  if (after === 'ok') return before === null ? null : freedNotice(input, latest)
  memory.lastNotifiedAt = now
  return levelNotice(after, input, latest, false)
}

function withHysteresis(before: SeatLevel | null, reading: SeatLevel): SeatLevel {
  if (before === 'out' && reading === 'low') return 'out'
  return reading
}

function reminder(memory: AlertMemory, input: AlertInput, now: number): Notice | null {
  const { latest } = input
  if (input.reminderHours <= 0 || !latest || input.problem) return null
  if (memory.level !== 'low' && memory.level !== 'out') return null
  if (memory.lastNotifiedAt !== null && now - memory.lastNotifiedAt < input.reminderHours * HOUR) return null
  memory.lastNotifiedAt = now
  // Say what is true now: under hysteresis an `out` memory may be sitting on one free seat.
  const reading = seatLevel(latest.available, input.lowAt)
  return levelNotice(reading === 'ok' ? 'low' : reading, input, latest, true)
}

function signInNotice(memory: AlertMemory, input: AlertInput): Notice | null {
  const { problem } = input
  if (!problem) {
    memory.signInNotified = false
    return null
  }
  if (problem.action !== 'sign-in' || memory.signInNotified || PERSON_IS_THERE.has(problem.kind)) return null
  memory.signInNotified = true
  return {
    kind: 'sign-in',
    accountId: input.accountId,
    title: `Seat Tray: sign in to ${orgName(input)}`,
    body: `${problem.message} Seat counts are not being checked until then.`,
  }
}

/** Problems that arise while the person is at the sign-in window: the window tells them, a notification would nag. */
const PERSON_IS_THERE = new Set<Problem['kind']>(['sign-in-cancelled', 'sign-in-failed'])

function renewalNotice(memory: AlertMemory, input: AlertInput, now: number): Notice | null {
  const upcoming = nextExpiry(input.org, now)
  if (!upcoming || upcoming.daysLeft > input.renewalWarnDays) return null
  const key = `${upcoming.what}:${upcoming.date}`
  if (memory.renewalNotifiedFor === key) return null
  memory.renewalNotifiedFor = key
  const when = formatDay(upcoming.date, input.locale)
  const inDays = upcoming.daysLeft === 0 ? 'today' : `in ${plural(upcoming.daysLeft, 'day')}`
  const what = upcoming.what === 'paid' ? 'paid licenses renew' : 'trial ends'
  return {
    kind: 'renewal',
    accountId: input.accountId,
    title: `Seat Tray: ${orgName(input)} ${what} ${inDays}`,
    body:
      upcoming.what === 'paid'
        ? `The paid period ends on ${when}. Check the seat count before Zoho bills the renewal.`
        : `The Zoho CRM trial ends on ${when}.`,
  }
}

/**
 * The expiry that matters, as calendar days from today (UTC; Zoho gives a date without a time zone). A paid org's
 * leftover trial date is ignored, and so is a date already past: that is no longer a warning.
 */
function nextExpiry(
  org: OrgInfo | null,
  now: number,
): { what: 'paid' | 'trial'; date: string; daysLeft: number } | null {
  if (!org) return null
  const candidates: { what: 'paid' | 'trial'; date: string | null }[] = [
    { what: 'paid', date: org.paid === false ? null : org.paidExpiry },
    { what: 'trial', date: org.paid === true ? null : org.trialExpiry },
  ]
  const today = Math.floor(now / DAY)
  const upcoming = candidates.flatMap(({ what, date }) => {
    const day = date ? parseDay(date) : null
    return day !== null && day >= today ? [{ what, date: date!, daysLeft: day - today }] : []
  })
  upcoming.sort((a, b) => a.daysLeft - b.daysLeft)
  return upcoming[0] ?? null
}

function levelNotice(level: 'low' | 'out', input: AlertInput, s: Snapshot, stillSo: boolean): Notice {
  const name = orgName(input)
  const still = stillSo ? 'still ' : ''
  if (level === 'out') {
    const body =
      s.active > s.purchased
        ? `${plural(s.active, 'user')} are active on ${plural(s.purchased, 'purchased seat')}.`
        : `All ${plural(s.purchased, 'purchased seat')} are in use.`
    return {
      kind: 'out',
      accountId: input.accountId,
      title: `Seat Tray: ${still}no free seats in ${name}`,
      body: `${body} Free a seat or buy more before adding anyone.`,
    }
  }
  return {
    kind: 'low',
    accountId: input.accountId,
    title: `Seat Tray: ${still}${plural(s.available, 'seat')} left in ${name}`,
    body: `${freeOf(s)} The low-seat warning is set at ${plural(input.lowAt, 'seat')}.`,
  }
}

function freedNotice(input: AlertInput, s: Snapshot): Notice {
  return {
    kind: 'freed',
    accountId: input.accountId,
    title: `Seat Tray: seats free again in ${orgName(input)}`,
    body: freeOf(s),
  }
}

/** "3 of 25 seats are free (22 active)." */
function freeOf(s: Snapshot): string {
  const verb = s.available === 1 ? 'is' : 'are'
  return `${s.available} of ${plural(s.purchased, 'seat')} ${verb} free (${s.active} active).`
}

function isWanted(kind: AlertKind, notify: NotificationSettings): boolean {
  return kind === 'sign-in' ? notify.signIn : notify[kind]
}

function orgName(input: AlertInput): string {
  return input.org?.name || input.label
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

/** A yyyy-mm-dd date as a day number since the epoch, or null when it is not one. */
function parseDay(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return null
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return Number.isNaN(ms) ? null : ms / DAY
}

function formatDay(date: string, locale: string | undefined): string {
  const day = parseDay(date)
  if (day === null) return date
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(day * DAY)
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
