/**
 * The rules for the user's settings: parsing what was stored, migrations, and applying the window's changes. The
 * shape, defaults and bounds are in common/settings.ts (the window reads them too). Storage is a port
 * (electron-store in the app, a JSON file in tests); the rules live here so both behave the same.
 */

import { z } from 'zod'
import type { SettingsPatch } from '../../common/contract'
import type { DataCenterId } from '../../common/model'
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
  const parsed = settingsPatchSchema.safeParse(patch)
  if (!parsed.success) throw new Error(refusal(parsed.error.issues[0], patch))
  const { notify, ...fields } = parsed.data
  const next: Settings = { ...settings, notify: { ...settings.notify } }
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) Object.assign(next, { [key]: value })
  for (const [key, on] of Object.entries(notify ?? {})) {
    if (on !== undefined) next.notify[key as keyof NotificationSettings] = on
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
    digest: z.boolean(),
  }),
  renewalWarnDays: wholeIn(SETTINGS_BOUNDS.renewalWarnDays),
  reminderHours: wholeIn(SETTINGS_BOUNDS.reminderHours),
  launchAtLogin: z.boolean(),
  acceptPlainTextSecrets: z.boolean(),
  autoUpdate: z.boolean(),
  historyRetentionDays: wholeIn(SETTINGS_BOUNDS.historyRetentionDays),
  trayIcon: z.enum(['colour', 'monochrome']),
  accounts: z.array(accountRecordSchema),
  clientId: z.string().min(1).nullable(),
  seatPrice: z
    .object({
      amount: z.number().min(SETTINGS_BOUNDS.seatPriceAmount.min).max(SETTINGS_BOUNDS.seatPriceAmount.max),
      per: z.enum(['month', 'year']),
      currency: z.string().refine(isCurrency),
    })
    .nullable(),
})

/** The plain fields, each checked on its own so that one bad value resets only itself. */
const FIELD_SCHEMAS = {
  pollMinutes: settingsSchema.shape.pollMinutes,
  lowThreshold: settingsSchema.shape.lowThreshold,
  renewalWarnDays: settingsSchema.shape.renewalWarnDays,
  reminderHours: settingsSchema.shape.reminderHours,
  launchAtLogin: settingsSchema.shape.launchAtLogin,
  acceptPlainTextSecrets: settingsSchema.shape.acceptPlainTextSecrets,
  autoUpdate: settingsSchema.shape.autoUpdate,
  historyRetentionDays: settingsSchema.shape.historyRetentionDays,
  trayIcon: settingsSchema.shape.trayIcon,
  clientId: settingsSchema.shape.clientId,
  seatPrice: settingsSchema.shape.seatPrice,
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
  autoUpdate: 'updates',
  historyRetentionDays: 'history retention',
  trayIcon: 'tray icon style',
  clientId: 'Zoho client ID',
  seatPrice: 'seat price',
}

/**
 * What a settings change from the window may carry: the stored schema's own fields, each optional. One schema for the
 * IPC boundary (platform/ipc.ts) and for the merge (applyPatch). Strict: an unknown key is a bug or an attack.
 */
export const settingsPatchSchema = z.strictObject({
  pollMinutes: settingsSchema.shape.pollMinutes.optional(),
  lowThreshold: settingsSchema.shape.lowThreshold.optional(),
  renewalWarnDays: settingsSchema.shape.renewalWarnDays.optional(),
  reminderHours: settingsSchema.shape.reminderHours.optional(),
  launchAtLogin: settingsSchema.shape.launchAtLogin.optional(),
  acceptPlainTextSecrets: settingsSchema.shape.acceptPlainTextSecrets.optional(),
  autoUpdate: settingsSchema.shape.autoUpdate.optional(),
  historyRetentionDays: settingsSchema.shape.historyRetentionDays.optional(),
  notify: settingsSchema.shape.notify.partial().strict().optional(),
  seatPrice: settingsSchema.shape.seatPrice.optional(),
  trayIcon: settingsSchema.shape.trayIcon.optional(),
})

/** The whole-number settings, named as the window names them, with their unit, for a refusal the person can read. */
const NUMBER_WORDS: Partial<
  Record<string, { what: string; unit: string; bounds: { min: number; max: number } }>
> = {
  pollMinutes: { what: 'Check interval', unit: 'minutes', bounds: SETTINGS_BOUNDS.pollMinutes },
  renewalWarnDays: { what: 'Renewal warning', unit: 'days', bounds: SETTINGS_BOUNDS.renewalWarnDays },
  reminderHours: { what: 'Reminder interval', unit: 'hours', bounds: SETTINGS_BOUNDS.reminderHours },
  historyRetentionDays: {
    what: 'History retention',
    unit: 'days',
    bounds: SETTINGS_BOUNDS.historyRetentionDays,
  },
}

const SWITCH_WORDS: Partial<Record<string, string>> = {
  launchAtLogin: 'Launch at login',
  acceptPlainTextSecrets: 'Keeping the sign-in in a file with a fixed key',
  autoUpdate: 'Updates',
}

/** The first thing wrong with a patch, said as what is allowed ("… from 1 to 60 (got 0)"). */
function refusal(issue: z.core.$ZodIssue | undefined, patch: unknown): string {
  if (!issue || !isRecord(patch)) return 'Settings change must be an object.'
  const [key, sub] = issue.path.map(String)
  if (issue.code === 'unrecognized_keys') {
    return key === 'notify' ? `Unknown notification: ${issue.keys[0]}.` : `Unknown setting: ${issue.keys[0]}.`
  }
  const value = key === undefined ? patch : patch[key]
  const number = key ? NUMBER_WORDS[key] : undefined
  if (number) {
    const { what, unit, bounds } = number
    return `${what} must be a whole number of ${unit} from ${bounds.min} to ${bounds.max} (got ${shown(value)}).`
  }
  if (key && SWITCH_WORDS[key]) return `${SWITCH_WORDS[key]} must be on or off (got ${shown(value)}).`
  if (key === 'notify') {
    if (!sub) return 'Notification choices must be an object of on/off switches.'
    return `Notification "${sub}" must be on or off (got ${shown(isRecord(value) ? value[sub] : value)}).`
  }
  if (key === 'lowThreshold') return thresholdRefusal(value)
  if (key === 'trayIcon') return `Tray icon must be "colour" or "monochrome" (got ${shown(value)}).`
  if (key === 'seatPrice') {
    const max = SETTINGS_BOUNDS.seatPriceAmount.max.toLocaleString('en')
    return `Seat price must be an amount from 0 to ${max} per month or per year, in a currency code such as EUR or USD, or none.`
  }
  return `Setting ${key ?? ''} is not valid.`
}

function thresholdRefusal(value: unknown): string {
  if (!isRecord(value) || (value.unit !== 'seats' && value.unit !== 'percent')) {
    return 'Low-seat threshold must be a number of seats or a percentage.'
  }
  if (value.unit === 'seats') {
    const { min, max } = SETTINGS_BOUNDS.thresholdSeats
    return `Low-seat threshold must be a whole number of seats from ${min} to ${max} (got ${shown(value.value)}).`
  }
  const { min, max } = SETTINGS_BOUNDS.thresholdPercent
  return `Low-seat threshold must be a percentage from ${min} to ${max} (got ${shown(value.value)}).`
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

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40))
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  return typeof value
}

/** An ISO 4217 code that Intl can write amounts in (EUR, USD, JPY …), so the window never shows a broken price. */
function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code })
    return Intl.supportedValuesOf('currency').includes(code)
  } catch {
    return false
  }
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
