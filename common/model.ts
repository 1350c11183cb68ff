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
