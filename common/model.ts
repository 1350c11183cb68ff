/**
 * The words the whole app shares: accounts, seat readings, org facts, tones, forecasts.
 * Plain data only (it crosses IPC to the window as is), no behaviour.
 */

import type { Problem } from './problems'

/** Which Zoho data center an org lives in. Its hosts are the engine's business (main/core/zoho/datacenters.ts). */
export type DataCenterId = 'US' | 'EU' | 'IN' | 'AU' | 'JP' | 'CA' | 'SA' | 'CN' | 'UK'

/** Our own stable id for one watched Zoho org (one sign-in). Not a Zoho id. */
export type AccountId = string

/** Purchased seats are what is billed; active seats are what is used; available is what Zoho says is free. */
export interface SeatCounts {
  purchased: number
  active: number
  available: number
}

/** One good reading of `__features/user_licenses`. */
export interface Snapshot extends SeatCounts {
  /** When we read it, ms since the epoch. */
  at: number
  /** Zoho's available_count disagreed with purchased − active; we keep Zoho's number and flag it. */
  mismatch: boolean
}

/** From `GET /crm/v7/org`: who the org is and when its licenses renew or its trial ends. */
export interface OrgInfo {
  id: string
  name: string
  /** ISO date (yyyy-mm-dd) or null when Zoho gives none. */
  paidExpiry: string | null
  trialExpiry: string | null
  paid: boolean | null
  /** `license_details.users_license_purchased` */
  licensesPurchased: number | null
  /** `domain_name` (`org<digits>`): the org's segment in Zoho CRM's web addresses; null or absent when unknown. */
  crmDomain?: string | null
}

/** What the tray, the window and the CLI colour a status by. offline and stale are greyed, not alarming. */
export type Tone = 'ok' | 'low' | 'out' | 'error' | 'signed-out' | 'offline' | 'stale'

/** Where an account is in its life, independent of the last reading. */
export type AccountPhase = 'signed-out' | 'signing-in' | 'first-poll' | 'ready'

export type Forecast =
  | { kind: 'not-enough-data' }
  | { kind: 'stable' }
  | { kind: 'out-now' }
  /** At the recent trend the last seat goes around `at` (ms since epoch), `seatsPerDay` taken per day. */
  | { kind: 'runs-out'; at: number; seatsPerDay: number }

export type LowThreshold = { unit: 'seats'; value: number } | { unit: 'percent'; value: number }

/** Everything a view needs about one account, derived by the core. */
export interface AccountView {
  id: AccountId
  dataCenter: DataCenterId
  /** The org name once known, else a placeholder such as the data center label. */
  label: string
  phase: AccountPhase
  /** The last good reading, kept through errors so views can show "last known". */
  latest: Snapshot | null
  org: OrgInfo | null
  lastAttemptAt: number | null
  lastGoodAt: number | null
  nextCheckAt: number | null
  refreshing: boolean
  problem: Problem | null
  tone: Tone
  /** The low threshold in seats for this account (a percentage resolved against purchased). */
  lowAt: number
  forecast: Forecast
  /** Zoho API calls this account's polling costs per day at the current interval. */
  callsPerDay: number
  /** Who holds the seats, in counts only (see the seat holders block below); absent before the engine knows. */
  seatHolders?: SeatHoldersAccess
  /** What the free seats cost at the person's seat price (issue 11); null without a price or a reading. */
  seatCost?: SeatCost | null
}

export interface AppState {
  accounts: AccountView[]
  /** The account the tray badge shows: the worst one. */
  worstAccountId: AccountId | null
  demo: boolean
  online: boolean
  /** A new sign-in is under way in this data center (the window shows "signing in"), or null. */
  signingIn: DataCenterId | null
  /** Why the last sign-in did not finish (cleared when the next one starts or one succeeds), or null. */
  signInProblem: Problem | null
  /** Whether a Zoho client is configured; without one only the demo can run. */
  clientConfigured: boolean
  /** Notifications are quiet until then (ms since epoch), or null. */
  snoozedUntil: number | null
  /** A notice for the window that is not tied to an account, e.g. "settings were reset". */
  notices: string[]
}

/** Before anything is known: no accounts, online, nothing announced. */
export const EMPTY_APP_STATE: AppState = {
  accounts: [],
  worstAccountId: null,
  demo: false,
  online: true,
  signingIn: null,
  signInProblem: null,
  clientConfigured: false,
  snoozedUntil: null,
  notices: [],
}

/** History, as the chart and the CSV export see it. */
export type HistoryRange = '24h' | '7d' | '30d' | '1y'

export interface HistoryPoint {
  /** ms since the epoch */
  t: number
  purchased: number
  active: number
  available: number
}

export type HistoryEventKind = 'ran-out' | 'freed' | 'purchased-changed'

export interface HistoryEvent {
  t: number
  kind: HistoryEventKind
  /** A short phrase for the chart marker, e.g. "25 → 30 purchased". */
  label: string
}

export interface HistorySeries {
  accountId: AccountId
  range: HistoryRange
  from: number
  to: number
  /** Downsampled to at most `maxPoints`, oldest first. */
  points: HistoryPoint[]
  events: HistoryEvent[]
}

// ── Seat holders (issue 11): who holds the seats, which could be freed, what they cost ────────────────────────
// Names and emails live in the engine's memory and cross to the window only in SeatHoldersView, on request;
// never in AppState, history or a log.

export type SeatHolderState = 'confirmed' | 'pending'

export interface SeatHolder {
  id: string
  name: string
  email: string
  role: string | null
  profile: string | null
  /** confirmed: active and signed in at least once; pending: invited and never accepted. Both are active users. */
  state: SeatHolderState
  createdAt: number | null
  /** Whole days since the invite went out; pending invites only. */
  pendingDays: number | null
  /** This user's page in Zoho CRM (or Zoho's help page on managing users when the org's address is unknown). */
  zohoUrl: string
}

/** Whether this org's used_count includes pending invites, found by comparing Zoho's counts (Zoho does not say). */
export type PendingCounting = 'counted' | 'not-counted' | 'unknown'

/** A seat that could be freed: a suggestion only, Seat Tray never changes anything in Zoho. */
export interface SeatSuggestion {
  holderId: string
  text: string
}

/** What one seat costs: an amount per month or per year, in an ISO 4217 currency. */
export interface SeatPrice {
  amount: number
  per: 'month' | 'year'
  currency: string
}

/** Free seats' cost, already formatted with Intl for the person's locale and the price's currency. */
export interface SeatCost {
  freeSeats: number
  perMonth: string
  perYear: string
}

/** Before the renewal: what the last 90 days of history say about the number of seats to renew. */
export type RenewalSizing =
  | { kind: 'fewer'; seats: number; text: string }
  | { kind: 'more'; seats: number; text: string }
  | { kind: 'right'; text: string }

export interface SeatHoldersView {
  accountId: AccountId
  fetchedAt: number
  /** The active users: pending invites first, oldest first; then the rest by profile, role and name. */
  holders: SeatHolder[]
  pendingInvites: number
  /** Deactivated users hold no seat, but were paid for until the renewal (a count is enough: one request). */
  deactivatedUsers: number
  pendingCounting: PendingCounting
  /** One sentence saying which it is and how that was found. */
  pendingCountingText: string
  suggestions: SeatSuggestion[]
  /** The org's Users page in Zoho CRM, where seats are freed. */
  usersPageUrl: string
  /** Zoho API credits per day the seat holders cost (one fetch a day), on top of polling. */
  creditsPerDay: number
  /** The org has more users than Seat Tray reads (10,000): the list is partial. */
  truncated: boolean
  cost: SeatCost | null
  renewal: RenewalSizing | null
}

export type SeatHoldersAnswer =
  | { kind: 'holders'; view: SeatHoldersView }
  /** The sign-in predates ZohoCRM.users.READ: not an error, an offer of a new consent. */
  | { kind: 'consent-needed'; offer: string }

/** What AppState carries about seat holders: counts only, no names. */
export type SeatHoldersAccess =
  | { kind: 'not-yet' }
  | {
      kind: 'allowed'
      pendingInvites: number
      /** Pending invites older than the suggestion age (7 days by default; Zoho's invitations expire after 7). */
      staleInvites: number
      pendingCounting: PendingCounting
      checkedAt: number
      creditsPerDay: number
    }
  | { kind: 'consent-needed'; offer: string }
