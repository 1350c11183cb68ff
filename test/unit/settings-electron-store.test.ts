import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_SETTINGS } from '../../common/settings'
import { DiskWriteError } from '../../main/core/atomic-file'
import { mountSmallDisk, smallDiskUnavailable } from '../helpers/small-disk'

// electron-store needs the Electron runtime only to find userData and the app version; its engine is `conf`.
// So electron-store is played by conf itself with electron-store's option names, and electron by a stub.
vi.mock('electron', () => ({ app: { getPath: () => tmpdir() } }))
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf')
  class ElectronStoreOnConf extends Conf<Record<string, unknown>> {
    constructor(options: { name: string; cwd: string; clearInvalidConfig: boolean; configFileMode: number }) {
      const { name, ...rest } = options
      super({ ...rest, configName: name, projectName: 'seat-tray', projectVersion: '0.1.0' })
    }
  }
  return { default: ElectronStoreOnConf }
})

const { ElectronSettingsStore } = await import('../../main/platform/electron-settings-store')

let dir: string
const at = () => 1_760_000_000_000

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seat-tray-estore-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('settings kept by electron-store', () => {
  it('starts with the defaults, then remembers what was saved across restarts', () => {
    expect(new ElectronSettingsStore(dir, at).load()).toEqual({ settings: DEFAULT_SETTINGS })
    const saved = { ...DEFAULT_SETTINGS, pollMinutes: 20, notify: { ...DEFAULT_SETTINGS.notify, low: false } }
    new ElectronSettingsStore(dir, at).save(saved)
    expect(new ElectronSettingsStore(dir, at).load()).toEqual({ settings: saved })
  })

  it('keeps our own schemaVersion in the file and writes it for the owner only', () => {
    const store = new ElectronSettingsStore(dir, at)
    store.save(DEFAULT_SETTINGS)
    expect(JSON.parse(readFileSync(store.file, 'utf8')).schemaVersion).toBe(1)
    expect(statSync(store.file).mode & 0o777).toBe(0o600)
  })

  it('does not crash or silently wipe a damaged file: keeps it aside and starts with the defaults and a notice', () => {
    writeFileSync(join(dir, 'settings.json'), '{"pollMinutes": ')
    const store = new ElectronSettingsStore(dir, at)
    const { settings, notice } = store.load()
    expect(settings).toEqual(DEFAULT_SETTINGS)
    expect(notice).toMatch(/damaged.*settings\.json\.corrupt-1760000000000/)
    expect(readFileSync(join(dir, 'settings.json.corrupt-1760000000000'), 'utf8')).toBe('{"pollMinutes": ')
    // And it can save again afterwards.
    store.save({ ...DEFAULT_SETTINGS, pollMinutes: 2 })
    expect(new ElectronSettingsStore(dir, at).load().settings.pollMinutes).toBe(2)
  })

  it('migrates a prototype (v0) file and keeps a copy of anything it had to reset', () => {
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ pollIntervalSeconds: 120, threshold: 'three' }),
    )
    const { settings, notice } = new ElectronSettingsStore(dir, at).load()
    expect(settings.pollMinutes).toBe(2)
    expect(settings.lowThreshold).toEqual(DEFAULT_SETTINGS.lowThreshold)
    expect(notice).toMatch(/low-seat threshold/)
    expect(readdirSync(dir).sort()).toEqual(['settings.json', 'settings.json.corrupt-1760000000000'])
  })
})

const noSmallDisk = smallDiskUnavailable()
if (noSmallDisk) console.warn(`the full-disk electron-store test did not run: ${noSmallDisk}`)

describe.skipIf(noSmallDisk !== null && !process.env.CI)(
  'settings kept by electron-store on a full disk',
  () => {
    it('keeps the saved settings when the disk fills while saving new ones, and says the disk is full', () => {
      const disk = mountSmallDisk(256 * 1024)
      try {
        const store = new ElectronSettingsStore(disk.dir, at)
        store.save({ ...DEFAULT_SETTINGS, pollMinutes: 7 })
        const before = readFileSync(store.file)
        disk.fillLeaving(0)

        expect(() => store.save({ ...DEFAULT_SETTINGS, pollMinutes: 3 })).toThrow(DiskWriteError)
        expect(() => store.save({ ...DEFAULT_SETTINGS, pollMinutes: 3 })).toThrow(
          /could not save the settings: the disk is full/,
        )

        expect(readFileSync(store.file).equals(before)).toBe(true)
        expect(new ElectronSettingsStore(disk.dir, at).load().settings.pollMinutes).toBe(7)
        expect(readdirSync(disk.dir).filter((n) => !n.startsWith('filler-'))).toEqual(['settings.json'])
      } finally {
        disk.unmount()
      }
    })
  },
)
