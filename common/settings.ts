/**
 * The user's settings as both sides of the window's wall know them: their shape, defaults and bounds. Types and
 * plain data only: the rules that check and migrate them (with zod) are in main/core/settings.ts, which must not
 * reach the window.
 */
import type { AccountId, DataCenterId, LowThreshold, SeatPrice } from './model'

export const SETTINGS_SCHEMA_VERSION = 1

/** Non-secret facts about one signed-in org. Its refresh token lives in the vault under `refresh:<id>`. */
export interface AccountRecord {
  id: AccountId
  dataCenter: DataCenterId
  /** Where token refresh and revoke go: the accounts server the sign-in redirect named. */
  accountsServer: string
  /** Where CRM calls go: the token response's api_domain. */
  apiDomain: string
  orgId: string | null
  orgName: string | null
  addedAt: number
}

export interface NotificationSettings {
  out: boolean
  low: boolean
  freed: boolean
  signIn: boolean
  renewal: boolean
  /** The weekly digest, Monday 09:00 local time (issue 11). Opt-in: off by default. */
  digest: boolean
}

export interface Settings {
  schemaVersion: number
  /** Minutes between checks, 1–60. */
  pollMinutes: number
  lowThreshold: LowThreshold
  notify: NotificationSettings
  /** Warn this many days before the paid period or the trial ends. */
  renewalWarnDays: number
  /** Repeat an ongoing out/low alert every N hours; 0 = never (the default). */
  reminderHours: number
  launchAtLogin: boolean
  /**
   * The person accepted keeping secrets in a file protected only by safeStorage's `basic_text` (a fixed key) when
   * no keychain is available. Off by default: without it, secrets stay in memory only.
   */
  acceptPlainTextSecrets: boolean
  /**
   * Check for, download and install updates (where the install allows it: not a deb, a package manager's, or a copy
   * run from source). On by default; IT can turn it off per machine.
   */
  autoUpdate: boolean
  /** Keep history this many days. */
  historyRetentionDays: number
  /**
   * The tray badge in colour, or in one colour that follows the panel's light or dark theme (Windows and Linux;
   * macOS always uses its template glyph). Issue 12.
   */
  trayIcon: TrayIconStyle
  accounts: AccountRecord[]
  /** An org's own Zoho client. The secret is in the vault under `client-secret`. */
  clientId: string | null
  /** What one seat costs (issue 11), for free seats' cost and renewal sizing; null = not given. */
  seatPrice: SeatPrice | null
}

export type TrayIconStyle = 'colour' | 'monochrome'

export const DEFAULT_SETTINGS: Settings = {
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  pollMinutes: 15,
  lowThreshold: { unit: 'seats', value: 1 },
  notify: { out: true, low: true, freed: true, signIn: true, renewal: true, digest: false },
  renewalWarnDays: 14,
  reminderHours: 0,
  launchAtLogin: false,
  acceptPlainTextSecrets: false,
  autoUpdate: true,
  historyRetentionDays: 400,
  trayIcon: 'colour',
  accounts: [],
  clientId: null,
  seatPrice: null,
}

/** The smallest and largest value a number setting may take, both allowed. */
export interface Bounds {
  readonly min: number
  readonly max: number
}

export const POLL_MINUTES = { min: 1, max: 60 } as const satisfies Bounds

/** The bounds the window's inputs use too, so a person never types a value the rules would refuse. */
export const SETTINGS_BOUNDS = {
  pollMinutes: POLL_MINUTES,
  thresholdSeats: { min: 0, max: 100_000 },
  thresholdPercent: { min: 0, max: 100 },
  renewalWarnDays: { min: 0, max: 365 },
  reminderHours: { min: 0, max: 168 },
  historyRetentionDays: { min: 30, max: 3650 },
  seatPriceAmount: { min: 0, max: 1_000_000 },
} as const satisfies Record<string, Bounds>
