/**
 * The rules for the user's settings: parsing what was stored, migrations, and applying the window's changes. The
 * shape, defaults and bounds are in common/settings.ts (the window reads them too). Storage is a port
 * (electron-store in the app, a JSON file in tests); the rules live here so both behave the same.
 */

import { z } from 'zod'
import type { SettingsPatch } from '../../common/contract'
import type { DataCenterId, LowThreshold } from '../../common/model'
import {
  type AccountRecord,
  DEFAULT_SETTINGS,
  type NotificationSettings,
  POLL_MINUTES,
  SETTINGS_BOUNDS,
  SETTINGS_SCHEMA_VERSION,
  type Settings,
} from '../../common/settings'
import { DATA_CENTERS } from './zoho/datacenters'

/**
 * Reads whatever was stored (any version, any damage) into valid Settings. Never throws: a field that is missing or
 * invalid falls back to its default on its own, so one bad value does not cost the person their accounts.
 * `notice` is a sentence for the window when something was reset or could not be read.
 */
export function parseSettings(raw: unknown): { settings: Settings; notice?: string } {
  if (!isRecord(raw)) {
    return { settings: cloneDefaults(), notice: 'Settings could not be read, so the defaults are in use.' }
  }
  const version = storedVersion(raw)
  const migrated = migrateSettings(raw)
  const reset: string[] = []
  const settings = cloneDefaults()
  for (const key of FIELD_KEYS) {
    if (!(key in migrated)) continue
    const parsed = FIELD_SCHEMAS[key].safeParse(migrated[key])
    if (parsed.success) Object.assign(settings, { [key]: parsed.data })
    else reset.push(FIELD_LABELS[key])
  }
  settings.notify = parseNotify(migrated.notify, reset)
  settings.accounts = parseAccounts(migrated.accounts, reset)
  settings.schemaVersion = SETTINGS_SCHEMA_VERSION

  const notices: string[] = []
  if (version > SETTINGS_SCHEMA_VERSION) {
    notices.push('These settings were saved by a newer Seat Tray; settings it does not know were left out.')
  }
  if (reset.length > 0)
    notices.push(`Some settings were not valid and were reset: ${unique(reset).join(', ')}.`)
  return notices.length > 0 ? { settings, notice: notices.join(' ') } : { settings }
}

/**
 * Brings a stored settings object of any earlier schemaVersion up to the current one, one step at a time.
 * Values are carried over as they are: parseSettings validates them afterwards.
 */
export function migrateSettings(raw: Record<string, unknown>): Record<string, unknown> {
  let current = { ...raw }
  for (let version = storedVersion(raw); version < SETTINGS_SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version]
    if (!step) break
    current = { ...step(current), schemaVersion: version + 1 }
  }
  return current
}

/**
 * Applies a change the window asked for. Every field is checked against SETTINGS_BOUNDS; a bad value throws an
 * Error whose message says what is allowed, and nothing is changed. Unknown fields are refused: the patch
 * crosses IPC from the window, so it is untrusted input.
 */
export function applyPatch(settings: Settings, patch: SettingsPatch): Settings {
  if (!isRecord(patch)) throw new Error('Settings change must be an object.')
  const next: Settings = { ...settings, notify: { ...settings.notify } }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    switch (key) {
      case 'pollMinutes':
        next.pollMinutes = wholeNumber(value, SETTINGS_BOUNDS.pollMinutes, 'Check interval', 'minutes')
        break
      case 'lowThreshold':
        next.lowThreshold = checkThreshold(value)
        break
      case 'renewalWarnDays':
        next.renewalWarnDays = wholeNumber(value, SETTINGS_BOUNDS.renewalWarnDays, 'Renewal warning', 'days')
        break
      case 'reminderHours':
        next.reminderHours = wholeNumber(value, SETTINGS_BOUNDS.reminderHours, 'Reminder interval', 'hours')
        break
      case 'historyRetentionDays':
        next.historyRetentionDays = wholeNumber(
          value,
          SETTINGS_BOUNDS.historyRetentionDays,
          'History retention',
          'days',
        )
        break
      case 'launchAtLogin':
        next.launchAtLogin = checkBoolean(value, 'Launch at login')
        break
      case 'trayIcon':
        if (value !== 'colour' && value !== 'monochrome')
          throw new Error(`Tray icon must be "colour" or "monochrome" (got ${shown(value)}).`)
        next.trayIcon = value
        break
      case 'acceptPlainTextSecrets':
        next.acceptPlainTextSecrets = checkBoolean(value, 'Keeping the sign-in in a file with a fixed key')
        break
      case 'notify':
        next.notify = checkNotify(next.notify, value)
        break
      default:
        throw new Error(`Unknown setting: ${key}.`)
    }
  }
  return next
}

// ---- schema -------------------------------------------------------------------------------------------------

const dataCenterIds = DATA_CENTERS.map((d) => d.id) as [DataCenterId, ...DataCenterId[]]

const wholeIn = (b: { min: number; max: number }) => z.number().int().min(b.min).max(b.max)

const lowThresholdSchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('seats'), value: wholeIn(SETTINGS_BOUNDS.thresholdSeats) }),
  z.object({
    unit: z.literal('percent'),
    value: z.number().min(SETTINGS_BOUNDS.thresholdPercent.min).max(SETTINGS_BOUNDS.thresholdPercent.max),
  }),
])

const accountRecordSchema = z.object({
  id: z.string().min(1),
  dataCenter: z.enum(dataCenterIds),
  accountsServer: z.string().url(),
  apiDomain: z.string().url(),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  addedAt: z.number().int().nonnegative(),
})

/** The whole stored shape, for documentation and for whoever wants one strict check (the settings tests do). */
export const settingsSchema = z.object({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION),
  pollMinutes: wholeIn(SETTINGS_BOUNDS.pollMinutes),
  lowThreshold: lowThresholdSchema,
  notify: z.object({
    out: z.boolean(),
    low: z.boolean(),
    freed: z.boolean(),
    signIn: z.boolean(),
    renewal: z.boolean(),
  }),
  renewalWarnDays: wholeIn(SETTINGS_BOUNDS.renewalWarnDays),
  reminderHours: wholeIn(SETTINGS_BOUNDS.reminderHours),
  launchAtLogin: z.boolean(),
  acceptPlainTextSecrets: z.boolean(),
  historyRetentionDays: wholeIn(SETTINGS_BOUNDS.historyRetentionDays),
  trayIcon: z.enum(['colour', 'monochrome']),
  accounts: z.array(accountRecordSchema),
  clientId: z.string().min(1).nullable(),
})

/** The plain fields, each checked on its own so that one bad value resets only itself. */
const FIELD_SCHEMAS = {
  pollMinutes: settingsSchema.shape.pollMinutes,
  lowThreshold: settingsSchema.shape.lowThreshold,
  renewalWarnDays: settingsSchema.shape.renewalWarnDays,
  reminderHours: settingsSchema.shape.reminderHours,
  launchAtLogin: settingsSchema.shape.launchAtLogin,
  acceptPlainTextSecrets: settingsSchema.shape.acceptPlainTextSecrets,
  historyRetentionDays: settingsSchema.shape.historyRetentionDays,
  trayIcon: settingsSchema.shape.trayIcon,
  clientId: settingsSchema.shape.clientId,
} as const

type FieldKey = keyof typeof FIELD_SCHEMAS
const FIELD_KEYS = Object.keys(FIELD_SCHEMAS) as FieldKey[]

/** How the window names each setting, for the "were reset" notice. */
const FIELD_LABELS: Record<FieldKey, string> = {
  pollMinutes: 'check interval',
  lowThreshold: 'low-seat threshold',
  renewalWarnDays: 'renewal warning',
  reminderHours: 'reminders',
  launchAtLogin: 'launch at login',
  acceptPlainTextSecrets: 'keeping the sign-in in a file with a fixed key',
  historyRetentionDays: 'history retention',
  trayIcon: 'tray icon style',
  clientId: 'Zoho client ID',
}

// ---- migrations ---------------------------------------------------------------------------------------------

/** MIGRATIONS[n] turns a version-n object into version n+1. Never edit a step once released; add one. */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  /**
   * v0 (the prototype) had no schemaVersion, polled in seconds, had a bare seat-count threshold and one on/off
   * switch for all notifications.
   */
  0: ({ pollIntervalSeconds, threshold, notifications, ...rest }) => {
    // A value of the wrong type is carried over as is, so parseSettings resets it and tells the person.
    const v1: Record<string, unknown> = { ...rest }
    if (typeof pollIntervalSeconds === 'number' && Number.isFinite(pollIntervalSeconds)) {
      v1.pollMinutes = clamp(Math.round(pollIntervalSeconds / 60), POLL_MINUTES.min, POLL_MINUTES.max)
    } else if (pollIntervalSeconds !== undefined) v1.pollMinutes = pollIntervalSeconds
    if (threshold !== undefined) v1.lowThreshold = { unit: 'seats', value: threshold }
    if (typeof notifications === 'boolean') {
      v1.notify = {
        out: notifications,
        low: notifications,
        freed: notifications,
        signIn: true,
        renewal: notifications,
      }
    } else if (notifications !== undefined) v1.notify = notifications
    return v1
  },
}

function storedVersion(raw: Record<string, unknown>): number {
  const v = raw.schemaVersion
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0
}

// ---- helpers ------------------------------------------------------------------------------------------------

function parseNotify(raw: unknown, reset: string[]): NotificationSettings {
  const notify = { ...DEFAULT_SETTINGS.notify }
  if (raw === undefined) return notify
  if (!isRecord(raw)) {
    reset.push('notifications')
    return notify
  }
  for (const key of Object.keys(notify) as (keyof NotificationSettings)[]) {
    const value = raw[key]
    if (typeof value === 'boolean') notify[key] = value
    else if (value !== undefined) reset.push('notifications')
  }
  return notify
}

/** Keeps every valid account; a damaged one is dropped alone (its sign-in is lost, the others are not). */
function parseAccounts(raw: unknown, reset: string[]): AccountRecord[] {
  if (raw === undefined) return []
  if (!Array.isArray(raw)) {
    reset.push('accounts')
    return []
  }
  const accounts: AccountRecord[] = []
  for (const item of raw) {
    const parsed = accountRecordSchema.safeParse(item)
    if (parsed.success && !accounts.some((a) => a.id === parsed.data.id)) accounts.push(parsed.data)
    else reset.push('accounts')
  }
  return accounts
}

function checkThreshold(value: unknown): LowThreshold {
  if (!isRecord(value) || (value.unit !== 'seats' && value.unit !== 'percent')) {
    throw new Error('Low-seat threshold must be a number of seats or a percentage.')
  }
  if (value.unit === 'seats') {
    return {
      unit: 'seats',
      value: wholeNumber(value.value, SETTINGS_BOUNDS.thresholdSeats, 'Low-seat threshold', 'seats'),
    }
  }
  const { min, max } = SETTINGS_BOUNDS.thresholdPercent
  if (
    typeof value.value !== 'number' ||
    !Number.isFinite(value.value) ||
    value.value < min ||
    value.value > max
  ) {
    throw new Error(
      `Low-seat threshold must be a percentage from ${min} to ${max} (got ${shown(value.value)}).`,
    )
  }
  return { unit: 'percent', value: value.value }
}

function checkNotify(current: NotificationSettings, value: unknown): NotificationSettings {
  if (!isRecord(value)) throw new Error('Notification choices must be an object of on/off switches.')
  const next = { ...current }
  for (const [key, on] of Object.entries(value)) {
    if (on === undefined) continue
    if (!(key in next)) throw new Error(`Unknown notification: ${key}.`)
    next[key as keyof NotificationSettings] = checkBoolean(on, `Notification "${key}"`)
  }
  return next
}

function wholeNumber(
  value: unknown,
  bounds: { min: number; max: number },
  what: string,
  unit: string,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new Error(
      `${what} must be a whole number of ${unit} from ${bounds.min} to ${bounds.max} (got ${shown(value)}).`,
    )
  }
  return value
}

function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${what} must be on or off (got ${shown(value)}).`)
  return value
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40))
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  return typeof value
}

function cloneDefaults(): Settings {
  return structuredClone(DEFAULT_SETTINGS)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n))
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}
