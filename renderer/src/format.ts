/**
 * Numbers, dates and sentences in the user's locale, through Intl only. The words a person reads about
 * seats, forecasts, renewals and tones are written here once.
 */

import type { ExportOutcome, VaultBackend } from '../../common/contract'
import type {
  AccountView,
  DataCenterId,
  Forecast,
  OrgInfo,
  PendingCounting,
  SeatCost,
  Tone,
} from '../../common/model'

// Built on first use, not at import: the first Intl formatter in a fresh window costs 30–70 ms while ICU loads its
// locale data, and the window paints its numbers before it needs any (see `num`).
const numberFormat = lazy(() => new Intl.NumberFormat())
const oneDecimal = lazy(() => new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }))
const percentFormat = lazy(
  () => new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 }),
)
const exactFormat = lazy(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' }))
const timeFormat = lazy(() => new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }))
const dayMonthFormat = lazy(() => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' }))
const longDateFormat = lazy(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'long' }))
const shortDateTimeFormat = lazy(
  () => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
)
const weekdayTimeFormat = lazy(
  () => new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' }),
)
const relativeFormat = lazy(() => new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }))
// Lazy too: not needed for the first frame, and any Intl object in a fresh window loads ICU data.
const seatPlural = lazy(() => new Intl.PluralRules())

/**
 * A count in the user's locale. Whole numbers from 0 to 999 are written with plain digits in every locale whose
 * digits are Latin, exactly as Intl would write them, so seat counts need no formatter before the first paint.
 */
export const num = (n: number): string =>
  LATIN_DIGITS && Number.isInteger(n) && n >= 0 && n < 1000 ? String(n) : numberFormat().format(n)
export const percent = (fraction: number): string => percentFormat().format(fraction)
export const exactTime = (ms: number): string => exactFormat().format(ms)
export const clockTime = (ms: number): string => timeFormat().format(ms)
export const dateTime = (ms: number): string => shortDateTimeFormat().format(ms)
export const longDate = (ms: number): string => longDateFormat().format(ms)
/** "Tue 14:05": when the greyed numbers were true, short enough for one line under the hero. */
export const shortWhen = (ms: number): string => weekdayTimeFormat().format(ms)

/** A value made on first use and kept. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined
  return () => {
    value ??= make()
    return value
  }
}

/** "1 seat", "3 seats" */
export function seats(n: number): string {
  return `${num(n)} ${seatPlural().select(n) === 'one' ? 'seat' : 'seats'}`
}

/** "5 minutes ago", "in 2 hours", "yesterday": the largest unit that is at least one. */
export function relative(at: number, now: number): string {
  const seconds = (at - now) / 1000
  const abs = Math.abs(seconds)
  if (abs < 45) return relativeFormat().format(0, 'second')
  for (const [unit, size] of RELATIVE_UNITS) {
    if (abs >= size) return relativeFormat().format(Math.round(seconds / size), unit)
  }
  return relativeFormat().format(Math.round(seconds / 60), 'minute')
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
]

export const TONE_LABEL: Record<Tone, string> = {
  ok: 'Seats free',
  low: 'Running low',
  out: 'No seats free',
  error: 'Needs attention',
  'signed-out': 'Signed out',
  offline: 'Offline',
  stale: 'Checking',
}

export function forecastSentence(forecast: Forecast): string {
  switch (forecast.kind) {
    case 'not-enough-data':
      return 'Not enough history yet to see a trend.'
    case 'stable':
      return 'Stable: seats are not being used up.'
    case 'out-now':
      return 'Every seat is taken now.'
    case 'runs-out':
      return `At this rate the last seat goes around ${dayMonthFormat().format(forecast.at)} (${pace(forecast.seatsPerDay)}).`
  }
}

/** "about 2 seats a day" or, for slow trends, "about one seat every 33 days". */
function pace(seatsPerDay: number): string {
  if (seatsPerDay >= 1) return `about ${oneDecimal().format(seatsPerDay)} seats a day`
  return `about one seat every ${num(Math.round(1 / seatsPerDay))} days`
}

/** "Licenses renew on 1 March 2027, in 93 days." or the trial's end; null when Zoho gave no date. */
export function renewalSentence(org: OrgInfo | null, now: number): string | null {
  if (!org) return null
  const trial = org.paid === false && org.trialExpiry
  const iso = trial ? org.trialExpiry : (org.paidExpiry ?? org.trialExpiry)
  if (!iso) return null
  const at = isoDateToLocal(iso)
  if (at === null) return null
  const days = Math.round((at - startOfDay(now)) / 86_400_000)
  const what = trial || (!org.paidExpiry && org.trialExpiry) ? 'The trial ends' : 'Licenses renew'
  const countdown = days < 0 ? 'already past' : days === 0 ? 'today' : relativeFormat().format(days, 'day')
  return `${what} on ${longDate(at)}, ${countdown}.`
}

/** A person's words for how their Zoho tokens are protected. */
export const VAULT_WORDS: Record<VaultBackend, string> = {
  keychain: 'Your sign-in is kept in this computer’s keychain.',
  'safe-storage': 'Your sign-in is encrypted with a key your operating system keeps.',
  'safe-storage-basic-text':
    'Your sign-in is only lightly protected: this desktop has no keyring, so anyone who can read your files could read it.',
  memory: 'Your sign-in is kept in memory only: you will sign in again after Seat Tray restarts.',
}

/** Labels for Zoho's data centers. Typed by the contract's id list so a new data center cannot be forgotten. */
export const DATA_CENTER_LABEL: Record<DataCenterId, string> = {
  US: 'United States (zoho.com)',
  EU: 'Europe (zoho.eu)',
  IN: 'India (zoho.in)',
  AU: 'Australia (zoho.com.au)',
  JP: 'Japan (zoho.jp)',
  CA: 'Canada (zohocloud.ca)',
  SA: 'Saudi Arabia (zoho.sa)',
  CN: 'China (zoho.com.cn)',
  UK: 'United Kingdom (zoho.uk)',
}

/** What an export did, beside its button: saved where, cancelled, or what the disk said. */
export function exportOutcomeText(outcome: ExportOutcome): string {
  if (outcome.saved) return `Saved${outcome.path ? ` to ${outcome.path}` : ''}.`
  return outcome.problem ?? 'Export cancelled: nothing was saved.'
}

/** "3 free seats cost about £120 a month (£1,440 a year)." from the engine's figures (already in the currency). */
export function costSentence(cost: SeatCost): string {
  if (cost.freeSeats === 0) return 'No seat is free, so none is paid for unused.'
  const seatsCost = cost.freeSeats === 1 ? '1 free seat costs' : `${num(cost.freeSeats)} free seats cost`
  return `${seatsCost} about ${cost.perMonth} a month (${cost.perYear} a year).`
}

/**
 * "2 invites never accepted hold seats": what can be done about seats running out. Only where Zoho counts pending
 * invites as used seats do they hold one; where that is not known yet they may.
 */
export function pendingInvitesSentence(invites: number, counting: PendingCounting): string | null {
  if (invites <= 0) return null
  const one = invites === 1
  const subject = one ? '1 invite never accepted' : `${num(invites)} invites never accepted`
  if (counting === 'not-counted')
    return `${subject}; Zoho does not count ${one ? 'it' : 'them'} as used seats here`
  const verb = counting === 'unknown' ? 'may hold' : one ? 'holds' : 'hold'
  return `${subject} ${verb} ${one ? 'a seat' : 'seats'}`
}

/** "24 of 25 seats in use (96%)" */
export function usageSentence(account: AccountView): string {
  const latest = account.latest
  if (!latest) return 'No reading yet.'
  const share = latest.purchased > 0 ? latest.active / latest.purchased : 0
  return `${num(latest.active)} of ${seats(latest.purchased)} in use (${percent(share)})`
}

/**
 * Whether a locale's default digits are Latin (0–9) in every region, per CLDR. Intl's default locale is the window's
 * language (`navigator.language`); a locale asking for other digits (`-u-nu-…`) or a language not listed here
 * formats every number through Intl.
 */
export function writesLatinDigits(locale: string): boolean {
  if (locale.includes('-u-')) return false
  return LATIN_DIGIT_LANGUAGES.has(locale.split('-')[0]?.toLowerCase() ?? '')
}

const LATIN_DIGIT_LANGUAGES = new Set(
  'af be bg bs ca cs cy da de el en es et eu fi fil fr ga gl he hr hu id is it ja ko lt lv mk mt nb nl nn no pl pt ro ru sk sl sq sr sv sw th tr uk vi zh'.split(
    ' ',
  ),
)
const LATIN_DIGITS = typeof navigator !== 'undefined' && writesLatinDigits(navigator.language)

function isoDateToLocal(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!m) return null
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime()
}

function startOfDay(ms: number): number {
  const d = new Date(ms)
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
}
