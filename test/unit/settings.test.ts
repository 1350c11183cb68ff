import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA_VERSION, type Settings } from '../../common/settings'
import { applyPatch, migrateSettings, parseSettings, settingsSchema } from '../../main/core/settings'

const account = {
  id: 'acc-1',
  dataCenter: 'EU',
  accountsServer: 'https://accounts.zoho.eu',
  apiDomain: 'https://www.zohoapis.eu',
  orgId: '123',
  orgName: 'Acme',
  addedAt: 1_700_000_000_000,
}

describe('reading stored settings', () => {
  it('gives the defaults on first run, without a notice', () => {
    expect(parseSettings({})).toEqual({ settings: DEFAULT_SETTINGS })
  })

  it('keeps every valid setting exactly as saved', () => {
    const saved: Settings = {
      ...DEFAULT_SETTINGS,
      pollMinutes: 5,
      lowThreshold: { unit: 'percent', value: 10 },
      notify: { out: true, low: false, freed: false, signIn: true, renewal: false, digest: true },
      seatPrice: { amount: 39.5, per: 'month', currency: 'EUR' },
      accounts: [account as Settings['accounts'][number]],
      clientId: '1000.ABC',
    }
    expect(parseSettings(JSON.parse(JSON.stringify(saved)))).toEqual({ settings: saved })
  })

  it('resets only the field that is invalid and says which one', () => {
    const { settings, notice } = parseSettings({
      schemaVersion: 1,
      pollMinutes: 0,
      lowThreshold: { unit: 'seats', value: 3 },
      accounts: [account],
    })
    expect(settings.pollMinutes).toBe(DEFAULT_SETTINGS.pollMinutes)
    expect(settings.lowThreshold).toEqual({ unit: 'seats', value: 3 })
    expect(settings.accounts).toHaveLength(1)
    expect(notice).toMatch(/reset: check interval/)
  })

  it('drops a damaged account but keeps the other accounts signed in', () => {
    const { settings, notice } = parseSettings({
      schemaVersion: 1,
      accounts: [account, { id: 'broken', dataCenter: 'XX' }, { ...account, id: 'acc-2' }],
    })
    expect(settings.accounts.map((a) => a.id)).toEqual(['acc-1', 'acc-2'])
    expect(notice).toMatch(/accounts/)
  })

  it('keeps secrets out of a fixed-key file for people whose settings predate the question', () => {
    const { settings, notice } = parseSettings({ schemaVersion: 1, pollMinutes: 5, launchAtLogin: true })
    expect(settings.acceptPlainTextSecrets).toBe(false)
    expect(settings.pollMinutes).toBe(5)
    expect(notice).toBeUndefined()
  })

  it('keeps the colour tray icon, without a notice, for people whose settings predate the monochrome choice', () => {
    const { settings, notice } = parseSettings({ schemaVersion: 1, pollMinutes: 5 })
    expect(settings.trayIcon).toBe('colour')
    expect(notice).toBeUndefined()
    expect(parseSettings({ schemaVersion: 1, trayIcon: 'monochrome' }).settings.trayIcon).toBe('monochrome')
    const damaged = parseSettings({ schemaVersion: 1, trayIcon: 'purple' })
    expect(damaged.settings.trayIcon).toBe('colour')
    expect(damaged.notice).toContain('tray icon style')
  })

  it('remembers that the person accepted a fixed-key file for their sign-in', () => {
    const { settings } = parseSettings({ schemaVersion: 1, acceptPlainTextSecrets: true })
    expect(settings.acceptPlainTextSecrets).toBe(true)
  })

  it('treats a stored answer that is not a plain yes or no as no, and says it was reset', () => {
    const { settings, notice } = parseSettings({ schemaVersion: 1, acceptPlainTextSecrets: 'true' })
    expect(settings.acceptPlainTextSecrets).toBe(false)
    expect(notice).toMatch(/reset: keeping the sign-in in a file with a fixed key/)
  })

  it('never throws, whatever is stored, and always returns settings the schema accepts', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const { settings } = parseSettings(raw)
        expect(settingsSchema.safeParse(settings).success).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('resets everything with a notice when the stored value is not an object', () => {
    for (const raw of [null, 42, 'settings', [1, 2]]) {
      const { settings, notice } = parseSettings(raw)
      expect(settings).toEqual(DEFAULT_SETTINGS)
      expect(notice).toMatch(/defaults/)
    }
  })

  it('reads settings written by a newer version as far as it can, and says so', () => {
    const { settings, notice } = parseSettings({ schemaVersion: 9, pollMinutes: 7, futureThing: true })
    expect(settings.pollMinutes).toBe(7)
    expect(settings.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION)
    expect(settings).not.toHaveProperty('futureThing')
    expect(notice).toMatch(/newer Seat Tray/)
  })
})

describe('migrating settings from the prototype (schema v0)', () => {
  const v0 = { pollIntervalSeconds: 300, threshold: 2, notifications: false, clientId: '1000.OLD' }

  it('turns seconds into minutes, a bare threshold into seats, and one switch into per-kind switches', () => {
    const { settings, notice } = parseSettings(v0)
    expect(notice).toBeUndefined()
    expect(settings.pollMinutes).toBe(5)
    expect(settings.lowThreshold).toEqual({ unit: 'seats', value: 2 })
    expect(settings.notify).toEqual({
      out: false,
      low: false,
      freed: false,
      signIn: true,
      renewal: false,
      digest: false,
    })
    expect(settings.clientId).toBe('1000.OLD')
    expect(settings.schemaVersion).toBe(1)
  })

  it('keeps a migrated interval inside 1–60 minutes', () => {
    expect(parseSettings({ pollIntervalSeconds: 10 }).settings.pollMinutes).toBe(1)
    expect(parseSettings({ pollIntervalSeconds: 86_400 }).settings.pollMinutes).toBe(60)
  })

  it('stamps the new schemaVersion and drops the old field names', () => {
    const migrated = migrateSettings(v0)
    expect(migrated.schemaVersion).toBe(1)
    expect(migrated).not.toHaveProperty('pollIntervalSeconds')
    expect(migrated).not.toHaveProperty('threshold')
  })

  it('leaves current settings untouched', () => {
    const current = { ...DEFAULT_SETTINGS, pollMinutes: 9 }
    expect(migrateSettings(current)).toEqual(current)
  })

  it('a v0 value of the wrong type is reset and reported, not silently dropped', () => {
    const { settings, notice } = parseSettings({
      pollIntervalSeconds: '5m',
      threshold: 'three',
      notifications: 'yes',
    })
    expect(settings.pollMinutes).toBe(DEFAULT_SETTINGS.pollMinutes)
    expect(settings.notify).toEqual(DEFAULT_SETTINGS.notify)
    expect(notice).toMatch(/check interval, low-seat threshold, notifications/)
  })

  it('a v0 threshold that is not a seat count is reset, not trusted', () => {
    const { settings, notice } = parseSettings({ threshold: -4 })
    expect(settings.lowThreshold).toEqual(DEFAULT_SETTINGS.lowThreshold)
    expect(notice).toMatch(/low-seat threshold/)
  })
})

describe('changing settings from the window', () => {
  it('applies valid changes and leaves the rest alone', () => {
    const next = applyPatch(DEFAULT_SETTINGS, {
      pollMinutes: 30,
      lowThreshold: { unit: 'percent', value: 12.5 },
      notify: { freed: false },
      historyRetentionDays: 30,
    })
    expect(next).toEqual({
      ...DEFAULT_SETTINGS,
      pollMinutes: 30,
      lowThreshold: { unit: 'percent', value: 12.5 },
      notify: { ...DEFAULT_SETTINGS.notify, freed: false },
      historyRetentionDays: 30,
    })
    expect(DEFAULT_SETTINGS.notify.freed).toBe(true)
  })

  it.each([
    [{ pollMinutes: 0 }, /Check interval must be a whole number of minutes from 1 to 60 \(got 0\)/],
    [{ pollMinutes: 61 }, /from 1 to 60/],
    [{ pollMinutes: 2.5 }, /whole number/],
    [{ lowThreshold: { unit: 'seats', value: -1 } }, /Low-seat threshold must be a whole number of seats/],
    [{ lowThreshold: { unit: 'percent', value: 101 } }, /percentage from 0 to 100/],
    [{ lowThreshold: { unit: 'users', value: 1 } }, /number of seats or a percentage/],
    [{ historyRetentionDays: 29 }, /History retention .* from 30/],
    [{ renewalWarnDays: -1 }, /Renewal warning/],
    [{ reminderHours: 1000 }, /Reminder interval/],
    [{ launchAtLogin: 'yes' }, /Launch at login must be on or off \(got "yes"\)/],
    [{ acceptPlainTextSecrets: 1 }, /fixed key must be on or off \(got 1\)/],
    [{ notify: { out: 1 } }, /Notification "out" must be on or off/],
    [{ notify: { sound: true } }, /Unknown notification: sound/],
    [{ clientId: 'evil' }, /Unknown setting: clientId/],
    [{ accounts: [] }, /Unknown setting: accounts/],
  ])('refuses %j with a message that says what is allowed', (patch, message) => {
    // The patch arrives over IPC, so the test sends what a compromised window could send.
    expect(() => applyPatch(DEFAULT_SETTINGS, patch as never)).toThrow(message)
  })

  it('switches the tray icon to one colour and back, and refuses any other style by name', () => {
    const mono = applyPatch(DEFAULT_SETTINGS, { trayIcon: 'monochrome' })
    expect(mono).toEqual({ ...DEFAULT_SETTINGS, trayIcon: 'monochrome' })
    expect(applyPatch(mono, { trayIcon: 'colour' }).trayIcon).toBe('colour')
    expect(() => applyPatch(DEFAULT_SETTINGS, { trayIcon: 'neon' as 'colour' })).toThrow(
      'Tray icon must be "colour" or "monochrome" (got "neon").',
    )
  })

  it('lets the person accept a fixed-key file for their sign-in, and withdraw that again', () => {
    const accepted = applyPatch(DEFAULT_SETTINGS, { acceptPlainTextSecrets: true })
    expect(accepted).toEqual({ ...DEFAULT_SETTINGS, acceptPlainTextSecrets: true })
    expect(applyPatch(accepted, { acceptPlainTextSecrets: false }).acceptPlainTextSecrets).toBe(false)
  })

  it('changes nothing when one field of a patch is refused', () => {
    const before = structuredClone(DEFAULT_SETTINGS)
    expect(() => applyPatch(before, { pollMinutes: 5, reminderHours: -1 })).toThrow()
    expect(before).toEqual(DEFAULT_SETTINGS)
  })

  it('accepts every value on the edges of the bounds', () => {
    expect(applyPatch(DEFAULT_SETTINGS, { pollMinutes: 1 }).pollMinutes).toBe(1)
    expect(applyPatch(DEFAULT_SETTINGS, { pollMinutes: 60 }).pollMinutes).toBe(60)
    expect(
      applyPatch(DEFAULT_SETTINGS, { lowThreshold: { unit: 'seats', value: 0 } }).lowThreshold.value,
    ).toBe(0)
    expect(
      applyPatch(DEFAULT_SETTINGS, { lowThreshold: { unit: 'percent', value: 100 } }).lowThreshold.value,
    ).toBe(100)
  })
})
