import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../common/settings'
import { JsonFileSettingsStore } from '../doubles/json-file-settings-store'

let dir: string
const at = () => 1_750_000_000_000

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seat-tray-settings-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('settings kept in a JSON file', () => {
  it('starts with the defaults when there is no file yet', () => {
    expect(new JsonFileSettingsStore(dir, at).load()).toEqual({ settings: DEFAULT_SETTINGS })
  })

  it('remembers what was saved across restarts', () => {
    const saved = { ...DEFAULT_SETTINGS, pollMinutes: 7, launchAtLogin: true }
    new JsonFileSettingsStore(dir, at).save(saved)
    expect(new JsonFileSettingsStore(dir, at).load()).toEqual({ settings: saved })
  })

  it('writes only for the owner and leaves no temp file behind', () => {
    const store = new JsonFileSettingsStore(dir, at)
    store.save(DEFAULT_SETTINGS)
    store.save({ ...DEFAULT_SETTINGS, pollMinutes: 3 })
    expect(statSync(store.file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['settings.json'])
  })

  it('does not crash on a damaged file: keeps it aside and starts with the defaults and a notice', () => {
    writeFileSync(join(dir, 'settings.json'), '{"pollMinutes": 5,')
    const { settings, notice } = new JsonFileSettingsStore(dir, at).load()
    expect(settings).toEqual(DEFAULT_SETTINGS)
    expect(notice).toMatch(/damaged.*settings\.json\.corrupt-1750000000000/)
    const backup = join(dir, 'settings.json.corrupt-1750000000000')
    expect(readFileSync(backup, 'utf8')).toBe('{"pollMinutes": 5,')
    expect(existsSync(join(dir, 'settings.json'))).toBe(false)
  })

  it('keeps a copy of the original when some fields had to be reset', () => {
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ schemaVersion: 1, pollMinutes: 500, reminderHours: 2 }),
    )
    const { settings, notice } = new JsonFileSettingsStore(dir, at).load()
    expect(settings.pollMinutes).toBe(DEFAULT_SETTINGS.pollMinutes)
    expect(settings.reminderHours).toBe(2)
    expect(notice).toMatch(/check interval/)
    expect(readdirSync(dir).sort()).toEqual(['settings.json', 'settings.json.corrupt-1750000000000'])
  })

  it('migrates a prototype (v0) file on load', () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ pollIntervalSeconds: 600, threshold: 4 }))
    const { settings } = new JsonFileSettingsStore(dir, at).load()
    expect(settings.pollMinutes).toBe(10)
    expect(settings.lowThreshold).toEqual({ unit: 'seats', value: 4 })
  })
})
