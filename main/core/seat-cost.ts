/**
 * What seats cost (issue 11), as pure functions with no imports but the shared types: free seats' cost per month and
 * per year, and, before the renewal, how many seats the last 90 days say to renew. Its own file so the window's
 * tests can build the engine's figures without loading the Zoho client.
 */
import type { HistoryPoint, RenewalSizing, SeatCost, SeatPrice } from '../../common/model'

/** Renewal sizing looks back this far. */
export const RENEWAL_LOOKBACK_MS = 90 * 24 * 3_600_000

const DAY = 24 * 3_600_000

/** What free seats cost per month and per year, in the price's currency, written for the person's locale. */
export function seatCost(price: SeatPrice, freeSeats: number, locale?: string): SeatCost {
  const perYear = yearly(price) * Math.max(0, freeSeats)
  return {
    freeSeats: Math.max(0, freeSeats),
    perMonth: money(perYear / 12, price.currency, locale),
    perYear: money(perYear, price.currency, locale),
  }
}

/**
 * Before the renewal (a paid_expiry still ahead), the fewest free seats over the last 90 days says how many seats
 * were never needed: "you could renew with N fewer". None ever free means every seat was needed; then the growth
 * of active seats over the same span (at least one) is how many more to consider.
 */
export function renewalSizing(o: {
  points: HistoryPoint[]
  now: number
  paidExpiry: string | null
  price: SeatPrice | null
  locale?: string
}): RenewalSizing | null {
  const expiry = o.paidExpiry ? Date.parse(`${o.paidExpiry}T00:00:00Z`) : Number.NaN
  if (Number.isNaN(expiry) || expiry < o.now - DAY) return null
  const recent = o.points.filter((p) => p.t >= o.now - RENEWAL_LOOKBACK_MS && p.t <= o.now)
  if (recent.length === 0) return null
  const spanDays = Math.max(1, Math.round((o.now - recent[0]!.t) / DAY))
  const over = spanDays >= 89 ? 'the last 90 days' : `the ${plural(spanDays, 'day')} Seat Tray has watched`
  const fewest = Math.min(...recent.map((p) => p.available))
  if (fewest > 0) {
    const saving = o.price ? ` (≈ ${money(yearly(o.price) * fewest, o.price.currency, o.locale)} a year)` : ''
    return {
      kind: 'fewer',
      seats: fewest,
      text: `At least ${plural(fewest, 'seat')} stayed free over ${over}: you could renew with ${fewest} fewer${saving}.`,
    }
  }
  const growth = Math.max(...recent.map((p) => p.active)) - recent[0]!.active
  const more = Math.max(1, growth)
  return {
    kind: 'more',
    seats: more,
    text: `You needed every seat over ${over}: consider ${more} more.`,
  }
}

function yearly(price: SeatPrice): number {
  return price.per === 'month' ? price.amount * 12 : price.amount
}

function money(amount: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    amount,
  )
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
