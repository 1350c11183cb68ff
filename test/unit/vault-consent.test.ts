/**
 * The whole path of the person's answer about safeStorage's basic_text, below the window: the app controller with
 * the switchable vault wired as main/index.ts wires it, on a desktop with no keychain.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type Settings } from '../../common/settings'
import { createSeatTray } from '../../main/core/app'
import type { SettingsStore } from '../../main/core/ports'
import { EncryptedFileVault, openVault, type SecretCipher } from '../../main/platform/vault'
import { VirtualClock } from '../helpers/virtual-clock'

let dataDir: string
let secretsFile: string

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'seat-tray-consent-'))
  secretsFile = join(dataDir, 'secrets.bin')
})
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

describe('keeping the sign-in where no keychain exists', () => {
  it('tells the settings page that consent is wanted, and why the keychain is not used', async () => {
    const { app } = await startApp()
    const view = await app.getSettings()
    expect(view.vaultBackend).toBe('memory')
    expect(view.vaultNeedsConsent).toBe(true)
    expect(view.vaultUnavailableReason).toMatch(/The system keychain did not answer/)
    expect(view.acceptPlainTextSecrets).toBe(false)
  })

  it('accepting moves what is stored into the file at once, and the reply already shows the new store', async () => {
    const { app, cipher } = await startApp()
    await app.setClient({ clientId: '1000.CLIENTID', clientSecret: 'client-secret-value' })

    const view = await app.updateSettings({ acceptPlainTextSecrets: true })

    expect(view).toMatchObject({
      acceptPlainTextSecrets: true,
      vaultBackend: 'safe-storage-basic-text',
      vaultNeedsConsent: false,
      hasClientSecret: true,
    })
    expect(await new EncryptedFileVault(secretsFile, cipher).get('client-secret')).toBe('client-secret-value')
  })

  it('after a restart, the saved yes opens the file, so nobody has to enter anything again', async () => {
    const first = await startApp()
    await first.app.setClient({ clientId: '1000.CLIENTID', clientSecret: 'client-secret-value' })
    await first.app.updateSettings({ acceptPlainTextSecrets: true })
    await first.app.stop()

    const second = await startApp({ saved: first.store.saved, cipher: first.cipher })

    expect(await second.app.getSettings()).toMatchObject({
      vaultBackend: 'safe-storage-basic-text',
      vaultNeedsConsent: false,
      hasClientSecret: true,
    })
  })

  it('withdrawing keeps the client for this run but takes it out of the file', async () => {
    const { app, cipher } = await startApp()
    await app.updateSettings({ acceptPlainTextSecrets: true })
    await app.setClient({ clientId: '1000.CLIENTID', clientSecret: 'client-secret-value' })

    const view = await app.updateSettings({ acceptPlainTextSecrets: false })

    expect(view).toMatchObject({ vaultBackend: 'memory', vaultNeedsConsent: true, hasClientSecret: true })
    expect(await new EncryptedFileVault(secretsFile, cipher).get('client-secret')).toBeNull()
  })
})

/** The app as main/index.ts composes it, with safeStorage reduced to basic_text and a keychain that never answers. */
async function startApp(over: { saved?: Settings; cipher?: SecretCipher } = {}) {
  const cipher = over.cipher ?? basicTextCipher()
  const store = new SavedSettings(over.saved)
  const vault = await openVault({
    file: secretsFile,
    cipher,
    acceptBasicText: false,
    probeTimeoutMs: 10,
    loadKeytar: async () => ({
      getPassword: () => new Promise(() => {}),
      setPassword: async () => {},
      deletePassword: async () => false,
    }),
  })
  const app = createSeatTray({
    fetch: () => Promise.reject(new Error('no network in this test')),
    clock: new VirtualClock(0),
    vault,
    vaultStatus: () => vault.status(),
    onSettingsChanged: (settings) => vault.acceptBasicText(settings.acceptPlainTextSecrets),
    notifier: { show: () => {} },
    tray: { render: () => {} },
    sink: { publish: () => {} },
    authBrowser: { authorize: () => Promise.reject(new Error('no sign-in in this test')) },
    settings: store,
    dataDir,
    buildClient: null,
    hostPolicy: { allowLoopback: false },
  })
  await vault.acceptBasicText((await app.getSettings()).acceptPlainTextSecrets)
  await app.start()
  return { app, cipher, store }
}

class SavedSettings implements SettingsStore {
  constructor(public saved: Settings = structuredClone(DEFAULT_SETTINGS)) {}
  load() {
    return { settings: structuredClone(this.saved) }
  }
  save(settings: Settings) {
    this.saved = structuredClone(settings)
  }
}

/** AES-GCM with a key fixed for the test, standing in for safeStorage's basic_text (whose key is hard-coded too). */
function basicTextCipher(): SecretCipher {
  const key = randomBytes(32)
  return {
    backend: () => 'basic_text',
    encrypt(plain) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    decrypt(sealed) {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12))
      d.setAuthTag(sealed.subarray(12, 28))
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8')
    },
  }
}
