import { execFile } from 'node:child_process'
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  chooseVault,
  EncryptedFileVault,
  type KeytarLike,
  MemoryVault,
  openVault,
  type SecretCipher,
} from '../../main/platform/vault'

const run = promisify(execFile)
let dir: string
let file: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seat-tray-vault-'))
  file = join(dir, 'secrets.json')
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('when the system keychain is not available', () => {
  it('falls back to the encrypted file when keytar cannot load', async () => {
    const choice = await chooseVault({
      file,
      cipher: testCipher('gnome_libsecret'),
      acceptBasicText: false,
      loadKeytar: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')),
    })
    expect(choice.vault).toBeInstanceOf(EncryptedFileVault)
    expect(choice.vault.backend).toBe('safe-storage')
    expect(choice.keychainUnavailable).toMatch(/could not be loaded \(libsecret-1\.so\.0/)
  })

  it('falls back when no Secret Service answers the probe', async () => {
    const choice = await chooseVault({
      file,
      cipher: testCipher('kwallet5'),
      acceptBasicText: false,
      loadKeytar: async () =>
        keytarThat(() => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))),
    })
    expect(choice.vault.backend).toBe('safe-storage')
    expect(choice.keychainUnavailable).toMatch(/did not answer \(Cannot autolaunch D-Bus/)
  })

  it('gives up on a keychain that hangs (a locked keyring waiting for a prompt) after the probe timeout', async () => {
    const started = Date.now()
    const choice = await chooseVault({
      file,
      cipher: testCipher('gnome_libsecret'),
      acceptBasicText: false,
      probeTimeoutMs: 50,
      loadKeytar: async () => keytarThat(() => new Promise(() => {})),
    })
    expect(choice.vault.backend).toBe('safe-storage')
    expect(choice.keychainUnavailable).toMatch(/no answer within 50 ms/)
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('refuses safeStorage basic_text unless the person accepted it, holding secrets in memory meanwhile', async () => {
    const options = {
      file,
      cipher: testCipher('basic_text'),
      loadKeytar: () => Promise.reject(new Error('no keytar')),
    }
    const refused = await chooseVault({ ...options, acceptBasicText: false })
    expect(refused.vault).toBeInstanceOf(MemoryVault)
    expect(refused.needsBasicTextConsent).toBe(true)
    await refused.vault.set('refresh:a', 'token-a')
    expect(readdirSync(dir)).toEqual([])

    const accepted = await chooseVault({ ...options, acceptBasicText: true })
    expect(accepted.vault.backend).toBe('safe-storage-basic-text')
    expect(accepted.needsBasicTextConsent).toBe(false)
  })

  it('holds secrets in memory when safeStorage cannot encrypt either', async () => {
    const choice = await chooseVault({
      file,
      cipher: null,
      acceptBasicText: true,
      loadKeytar: () => Promise.reject(new Error('x')),
    })
    expect(choice.vault.backend).toBe('memory')
    expect(choice.needsBasicTextConsent).toBe(false)
  })

  it('uses the keychain when it answers', async () => {
    const choice = await chooseVault({
      file,
      cipher: testCipher('gnome_libsecret'),
      acceptBasicText: false,
      loadKeytar: async () => keytarThat(async () => null),
    })
    expect(choice.vault.backend).toBe('keychain')
    expect(choice.keychainUnavailable).toBeNull()
  })

  it('with the real keytar and no D-Bus session, picks the encrypted file', async () => {
    // A child process, so the session bus address we break is not the one this test process may have used.
    const script = `
      import { chooseVault } from './main/platform/vault.ts'
      const cipher = { encrypt: (s) => Buffer.from(s).reverse(), decrypt: (b) => Buffer.from(b).reverse().toString(), backend: () => 'gnome_libsecret' }
      const choice = await chooseVault({ file: ${JSON.stringify(file)}, cipher, acceptBasicText: false })
      await choice.vault.set('refresh:x', 'secret-x')
      console.log(JSON.stringify({ backend: choice.vault.backend, back: await choice.vault.get('refresh:x') }))
    `
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/seat-tray-test',
    }
    delete env.DISPLAY
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env,
    })
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual({
      backend: 'safe-storage',
      back: 'secret-x',
    })
  })
})

describe('when the person answers whether a fixed-key file may hold their sign-in', () => {
  /** A desktop with no keychain where safeStorage only offers basic_text, as on a bare Linux session. */
  const noKeyring = (over: { acceptBasicText?: boolean; cipher?: SecretCipher } = {}) =>
    openVault({
      file,
      cipher: over.cipher ?? testCipher('basic_text'),
      acceptBasicText: over.acceptBasicText ?? false,
      loadKeytar: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')),
    })

  it('asks first, holding the sign-in in memory and saying why the keychain is not used', async () => {
    const vault = await noKeyring()
    await vault.set('refresh:a', 'token-a')
    expect(vault.backend).toBe('memory')
    expect(vault.status()).toEqual({
      needsConsent: true,
      unavailableReason: expect.stringMatching(/keychain library could not be loaded/),
    })
    expect(readdirSync(dir)).toEqual([])
  })

  it('keeps the person signed in when they accept: what was in memory moves into the file, at once', async () => {
    const cipher = testCipher('basic_text')
    const vault = await noKeyring({ cipher })
    await vault.set('refresh:a', 'token-a')
    await vault.set('client-secret', 'shh')

    await vault.acceptBasicText(true)

    expect(vault.backend).toBe('safe-storage-basic-text')
    expect(vault.status().needsConsent).toBe(false)
    expect(await vault.get('refresh:a')).toBe('token-a')
    // After a restart the file alone still has both, and never in plain text.
    const afterRestart = new EncryptedFileVault(file, cipher)
    expect(await afterRestart.get('refresh:a')).toBe('token-a')
    expect(await afterRestart.get('client-secret')).toBe('shh')
    expect(readFileSync(file, 'utf8')).not.toContain('token-a')
  })

  it('on withdrawal keeps the sign-in for this run but deletes it from the file', async () => {
    const vault = await noKeyring({ acceptBasicText: true })
    await vault.set('refresh:a', 'token-a')
    await vault.set('refresh:b', 'token-b')
    expect(vault.backend).toBe('safe-storage-basic-text')

    await vault.acceptBasicText(false)

    expect(vault.backend).toBe('memory')
    expect(vault.status().needsConsent).toBe(true)
    expect(await vault.get('refresh:a')).toBe('token-a')
    expect(await vault.get('refresh:b')).toBe('token-b')
    expect(JSON.parse(readFileSync(file, 'utf8')).entries).toEqual({})
  })

  it('finds the sign-in an earlier run kept in the file once the saved answer is applied at startup', async () => {
    const cipher = testCipher('basic_text')
    await new EncryptedFileVault(file, cipher).set('refresh:a', 'from-last-run')
    const vault = await noKeyring({ cipher })
    expect(await vault.get('refresh:a')).toBeNull()

    await vault.acceptBasicText(true)

    expect(await vault.get('refresh:a')).toBe('from-last-run')
  })

  it('loses no token stored while the switch is under way', async () => {
    const cipher = testCipher('basic_text')
    const vault = await noKeyring({ cipher })
    await vault.set('refresh:a', 'token-a')
    // A sign-in finishes exactly while token-a is being moved into the file.
    let storedMidway: Promise<void> | undefined
    const encrypt = cipher.encrypt.bind(cipher)
    cipher.encrypt = (plain) => {
      if (plain === 'token-a') storedMidway ??= vault.set('refresh:b', 'token-b')
      return encrypt(plain)
    }

    await vault.acceptBasicText(true)
    await storedMidway

    const afterRestart = new EncryptedFileVault(file, cipher)
    expect(await afterRestart.get('refresh:a')).toBe('token-a')
    expect(await afterRestart.get('refresh:b')).toBe('token-b')
  })

  it('stays in memory with every secret when the file cannot be written, and says the switch failed', async () => {
    mkdirSync(file) // a folder where the file should be: the write fails
    const vault = await noKeyring()
    await vault.set('refresh:a', 'token-a')
    await expect(vault.acceptBasicText(true)).rejects.toThrow()
    expect(vault.backend).toBe('memory')
    expect(vault.status().needsConsent).toBe(true)
    expect(await vault.get('refresh:a')).toBe('token-a')
  })

  it('changes nothing where the answer does not matter: a working keychain is neither probed again nor left', async () => {
    let probes = 0
    const vault = await openVault({
      file,
      cipher: testCipher('basic_text'),
      acceptBasicText: false,
      loadKeytar: async () => {
        probes++
        return keytarThat(async () => null)
      },
    })
    await vault.acceptBasicText(true)
    await vault.acceptBasicText(false)
    expect(vault.backend).toBe('keychain')
    expect(vault.status()).toEqual({ needsConsent: false, unavailableReason: null })
    expect(probes).toBe(1)
    expect(readdirSync(dir)).toEqual([])
  })

  it('changes nothing where safeStorage has a real key: the file stays, consent is never asked', async () => {
    const vault = await noKeyring({ cipher: testCipher('gnome_libsecret') })
    await vault.set('refresh:a', 'token-a')
    expect(vault.status().needsConsent).toBe(false)
    await vault.acceptBasicText(false)
    expect(vault.backend).toBe('safe-storage')
    expect(await vault.get('refresh:a')).toBe('token-a')
  })
})

describe('the encrypted-file vault', () => {
  it('round-trips secrets and keeps them across restarts', async () => {
    const cipher = testCipher('gnome_libsecret')
    const vault = new EncryptedFileVault(file, cipher)
    await vault.set('refresh:a', 'token-a')
    await vault.set('client-secret', 'shh')
    expect(await new EncryptedFileVault(file, cipher).get('refresh:a')).toBe('token-a')
    expect(await vault.get('client-secret')).toBe('shh')
    expect(await vault.get('refresh:unknown')).toBeNull()
  })

  it('keeps two accounts apart and deletes only the one asked', async () => {
    const vault = new EncryptedFileVault(file, testCipher('gnome_libsecret'))
    await vault.set('refresh:a', 'token-a')
    await vault.set('refresh:b', 'token-b')
    await vault.delete('refresh:a')
    expect(await vault.get('refresh:a')).toBeNull()
    expect(await vault.get('refresh:b')).toBe('token-b')
  })

  it('writes only ciphertext, only for the owner, with no temp file left', async () => {
    const vault = new EncryptedFileVault(file, testCipher('gnome_libsecret'))
    await vault.set('refresh:a', 'very-secret-refresh-token')
    expect(readFileSync(file, 'utf8')).not.toContain('very-secret-refresh-token')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['secrets.json'])
  })

  it('loses no write when many happen at once', async () => {
    const vault = new EncryptedFileVault(file, testCipher('gnome_libsecret'))
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.set(`refresh:${i}`, `t${i}`)))
    const values = await Promise.all(Array.from({ length: 20 }, (_, i) => vault.get(`refresh:${i}`)))
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`))
  })

  it('treats a secret it can no longer decrypt (the OS key changed) as gone, not as a crash', async () => {
    await new EncryptedFileVault(file, testCipher('gnome_libsecret')).set('refresh:a', 'token-a')
    expect(await new EncryptedFileVault(file, testCipher('gnome_libsecret')).get('refresh:a')).toBeNull()
  })

  it('starts empty when the file is damaged, and can be written again', async () => {
    writeFileSync(file, '{not json')
    const vault = new EncryptedFileVault(file, testCipher('gnome_libsecret'))
    expect(await vault.get('refresh:a')).toBeNull()
    await vault.set('refresh:a', 'token-a')
    expect(await vault.get('refresh:a')).toBe('token-a')
  })
})

/** AES-GCM with a key that exists only in this test: a stand-in for safeStorage with its own OS-held key. */
function testCipher(backend: string): SecretCipher {
  const key = randomBytes(32)
  return {
    backend: () => backend,
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

function keytarThat(getPassword: () => Promise<string | null>): KeytarLike {
  return {
    getPassword,
    setPassword: async () => {},
    deletePassword: async () => true,
  }
}
