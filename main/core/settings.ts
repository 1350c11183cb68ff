/**
 * The user's settings: their shape, defaults, bounds and migrations. Storage is a port (electron-store in the app,
 * a JSON file in tests); the rules live here so both behave the same.
 */

import type { AccountId, LowThreshold } from './model'
import type { DataCenterId } from './zoho/datacenters'

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
  /** Keep history this many days. */
  historyRetentionDays: number
  accounts: AccountRecord[]
  /** An org's own Zoho client. The secret is in the vault under `client-secret`. */
  clientId: string | null
}

export const DEFAULT_SETTINGS: Settings = {
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  pollMinutes: 15,
  lowThreshold: { unit: 'seats', value: 1 },
  notify: { out: true, low: true, freed: true, signIn: true, renewal: true },
  renewalWarnDays: 14,
  reminderHours: 0,
  launchAtLogin: false,
  historyRetentionDays: 400,
  accounts: [],
  clientId: null,
}

export const POLL_MINUTES = { min: 1, max: 60 } as const
