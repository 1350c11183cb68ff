/**
 * Every file the app writes keeps its old version whole when the write fails part-way: the settings file, the
 * secrets file, the alert memory, the launch-at-login entry (history cleanup: history-disk.test.ts). Each writer is
 * driven on a real small tmpfs that is full or read-only, and the file is compared byte for byte afterwards.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../common/settings'
import { createSeatTray } from '../../main/core/app'
import { DiskWriteError } from '../../main/core/atomic-file'
import { SeatTrayError } from '../../main/core/errors'
import { readJsonFile, writeJsonFileAtomic } from '../../main/core/json-file'
import { MemoryVault } from '../../main/core/memory-vault'
import { autostartFile, setLinuxAutostart } from '../../main/platform/linux-autostart'
import { EncryptedFileVault } from '../../main/platform/vault'
import { JsonFileSettingsStore } from '../doubles/json-file-settings-store'
import { mountSmallDisk, type SmallDisk, smallDiskUnavailable } from '../helpers/small-disk'
import { VirtualClock } from '../helpers/virtual-clock'

const unavailable = smallDiskUnavailable()
if (unavailable) console.warn(`atomic-writes tests did not run: ${unavailable}`)

/** Everything in the folder that is not the file itself or the filler: what a failed write may not leave. */
function leftovers(dir: string, keep: string[]): string[] {
  return readdirSync(dir).filter((name) => !keep.includes(name) && !name.startsWith('filler-'))
}

function thrown(work: () => unknown): unknown {
  try {
    work()
  } catch (error) {
    return error
  }
  throw new Error('expected the write to fail')
}

/** Reversible and recognisable: enough to see that a secret never reaches a message. */
const cipher = {
  backend: () => 'gnome_libsecret',
  encrypt: (plain: string) => Buffer.from(plain).reverse(),
  decrypt: (sealed: Buffer) => Buffer.from(sealed).reverse().toString(),
}

describe.skipIf(unavailable !== null && !process.env.CI)(
  'a write that fails part-way leaves the old file',
  () => {
    let disk: SmallDisk
    beforeEach(() => {
      disk = mountSmallDisk(256 * 1024)
    })
    afterEach(() => {
      disk.unmount()
    })

    it('keeps the saved settings when the disk fills while saving new ones, and says the disk is full', () => {
      const store = new JsonFileSettingsStore(disk.dir)
      store.save({ ...DEFAULT_SETTINGS, pollMinutes: 7 })
      const before = readFileSync(store.file)
      disk.fillLeaving(0)

      const error = thrown(() => store.save({ ...DEFAULT_SETTINGS, pollMinutes: 3 }))

      expect(error).toBeInstanceOf(DiskWriteError)
      expect(error).toBeInstanceOf(SeatTrayError) // so the app shows it as it is, not as "Zoho sent an answer…"
      expect((error as DiskWriteError).problem).toMatchObject({ kind: 'disk-error', detail: 'ENOSPC' })
      expect((error as Error).message).toBe(
        'Seat Tray could not save the settings: the disk is full. Nothing was lost. (ENOSPC)',
      )
      expect(readFileSync(store.file).equals(before)).toBe(true)
      expect(new JsonFileSettingsStore(disk.dir).load().settings.pollMinutes).toBe(7)
      expect(leftovers(disk.dir, ['settings.json'])).toEqual([])
    })

    it('keeps the saved settings on a read-only disk, and says the disk is read-only', () => {
      const store = new JsonFileSettingsStore(disk.dir)
      store.save({ ...DEFAULT_SETTINGS, pollMinutes: 7 })
      disk.readOnly()
      try {
        const error = thrown(() => store.save({ ...DEFAULT_SETTINGS, pollMinutes: 3 }))
        expect((error as Error).message).toMatch(
          /^Seat Tray could not save the settings: the disk is read-only\./,
        )
        expect((error as DiskWriteError).code).toBe('EROFS')
        expect(new JsonFileSettingsStore(disk.dir).load().settings.pollMinutes).toBe(7)
      } finally {
        disk.writable()
      }
    })

    it('keeps the stored sign-ins when the disk fills while storing one more, and never names the token', async () => {
      const file = join(disk.dir, 'secrets.json')
      const vault = new EncryptedFileVault(file, cipher)
      await vault.set('refresh:a', 'token-a')
      const before = readFileSync(file)
      disk.fillLeaving(0)

      const error = await vault.set('refresh:b', 'token-b-is-secret').then(
        () => null,
        (e: unknown) => e,
      )

      expect(error).toBeInstanceOf(DiskWriteError)
      expect((error as Error).message).toMatch(
        /could not keep the sign-in on this computer: the disk is full/,
      )
      expect((error as Error).message).not.toContain('token')
      expect(readFileSync(file).equals(before)).toBe(true)
      expect(await new EncryptedFileVault(file, cipher).get('refresh:a')).toBe('token-a')
      expect(leftovers(disk.dir, ['secrets.json'])).toEqual([])
    })

    it('keeps what was already announced when the disk fills while remembering a new alert', () => {
      // The alert memory (state.json) is written by writeJsonFileAtomic, as app.ts does.
      const file = join(disk.dir, 'state.json')
      writeJsonFileAtomic(file, { alerts: { a: { low: 1 } }, snoozedUntil: null })
      const before = readFileSync(file)
      disk.fillLeaving(0)

      const big = {
        alerts: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`acct-${i}`, { low: i }])),
      }
      expect(thrown(() => writeJsonFileAtomic(file, big))).toBeInstanceOf(DiskWriteError)

      expect(readFileSync(file).equals(before)).toBe(true)
      expect(readJsonFile(file)).toEqual({
        kind: 'ok',
        value: { alerts: { a: { low: 1 } }, snoozedUntil: null },
      })
      expect(leftovers(disk.dir, ['state.json'])).toEqual([])
    })

    it('keeps the launch-at-login entry when the disk fills while rewriting it', async () => {
      const env = { XDG_CONFIG_HOME: disk.dir }
      await setLinuxAutostart(true, { execPath: '/opt/Seat Tray/seat-tray', env })
      const entry = autostartFile(env)
      const before = readFileSync(entry)
      // A longer path than the free space left, so the new entry cannot be written whole.
      disk.fillLeaving(0)

      const error = await setLinuxAutostart(true, {
        execPath: `/opt/${'x'.repeat(8000)}/seat-tray`,
        env,
      }).then(
        () => null,
        (e: unknown) => e,
      )

      expect((error as Error).message).toMatch(/could not turn on launch at login: the disk is full/)
      expect(readFileSync(entry).equals(before)).toBe(true)
      expect(leftovers(join(disk.dir, 'autostart'), ['seat-tray.desktop'])).toEqual([])
    })

    it('keeps a whole file when the disk takes only part of the new one', () => {
      // The short write: the first bytes land, then the disk is full. Nothing short may be renamed over the old file.
      const file = join(disk.dir, 'state.json')
      writeFileSync(file, '{"old":true}\n')
      disk.fillLeaving(8 * 1024)
      const big = { pad: 'x'.repeat(64 * 1024) }
      expect(thrown(() => writeJsonFileAtomic(file, big))).toBeInstanceOf(DiskWriteError)
      expect(readFileSync(file, 'utf8')).toBe('{"old":true}\n')
      expect(leftovers(disk.dir, ['state.json'])).toEqual([])
    })

    it('a settings change the full disk refused comes back as the disk’s problem, not as a Zoho answer', async () => {
      let requests = 0
      const app = createSeatTray({
        fetch: async () => {
          requests++
          throw new Error('no network in this test')
        },
        clock: new VirtualClock(),
        vault: new MemoryVault(),
        notifier: { show: () => {} },
        tray: { render: () => {} },
        sink: { publish: () => {} },
        authBrowser: { authorize: async () => Promise.reject(new Error('no sign-in in this test')) },
        settings: new JsonFileSettingsStore(disk.dir),
        dataDir: disk.dir,
        buildClient: null,
        hostPolicy: { allowLoopback: false },
      })
      await app.start()
      await app.updateSettings({ pollMinutes: 7 })
      disk.fillLeaving(0)

      const error = await app.updateSettings({ pollMinutes: 3 }).then(
        () => null,
        (e: unknown) => e,
      )

      expect((error as SeatTrayError).problem).toMatchObject({ kind: 'disk-error', detail: 'ENOSPC' })
      expect((error as Error).message).toMatch(/^Seat Tray could not save the settings: the disk is full\./)
      expect((error as Error).message).not.toMatch(/Zoho/)
      expect(new JsonFileSettingsStore(disk.dir).load().settings.pollMinutes).toBe(7)
      expect(requests).toBe(0)
      await app.stop()
    })
  },
)
