/**
 * Where refresh tokens and the client secret are kept. First choice: the OS keychain through keytar
 * (service `seat-tray`, one entry per key such as `refresh:<accountId>`). Where keytar cannot load or no
 * Secret Service answers (common on Linux), a file of our own holding ciphertext from a cipher port
 * (Electron's safeStorage in the app, see safe-storage-cipher.ts). safeStorage's `basic_text` backend encrypts
 * with a hard-coded password, so it is refused unless the person accepted it.
 *
 * Plain Node on purpose, no electron import: every branch here is tested without Electron.
 * Access tokens are never stored anywhere; they live in memory only.
 */

import type { VaultBackend } from '../../common/contract'
import { readJsonFile, writeJsonFileAtomic } from '../core/json-file'
import { MemoryVault } from '../core/memory-vault'
import type { SecretVault, VaultStatus } from '../core/ports'

export const VAULT_SERVICE = 'seat-tray'
/** How long the keychain may take to answer a probe before we decide there is none (a locked keyring may hang). */
export const KEYCHAIN_PROBE_TIMEOUT_MS = 3_000

/** The part of keytar we use, so a test can hand in a failing or hanging one. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

/** Encrypts with a key someone else protects (safeStorage: Keychain, DPAPI, libsecret/kwallet, or basic_text). */
export interface SecretCipher {
  encrypt(plain: string): Buffer
  decrypt(encrypted: Buffer): string
  /** safeStorage's backend name on Linux (`basic_text`, `gnome_libsecret`, `kwallet5`…); anything else elsewhere. */
  backend(): string
}

export interface VaultChoice {
  vault: SecretVault
  /** Why the keychain was not used, in words for the settings page; null when it was. */
  keychainUnavailable: string | null
  /**
   * True when the only remaining protection was safeStorage's basic_text and the person has not accepted it:
   * secrets are then held in memory only (lost on quit) until they do.
   */
  needsBasicTextConsent: boolean
}

export interface ChooseVaultOptions {
  /** The encrypted file used when the keychain is unavailable. */
  file: string
  /** null when safeStorage says encryption is unavailable. */
  cipher: SecretCipher | null
  /** The person explicitly accepted that secrets are only obscured (safeStorage basic_text). */
  acceptBasicText: boolean
  loadKeytar?: () => Promise<KeytarLike>
  probeTimeoutMs?: number
  service?: string
}

/** Picks the strongest vault that works here, trying the keychain with a probe first. Never throws. */
export async function chooseVault(options: ChooseVaultOptions): Promise<VaultChoice> {
  const service = options.service ?? VAULT_SERVICE
  const keychain = await probeKeychain(
    options.loadKeytar ?? loadKeytar,
    service,
    options.probeTimeoutMs ?? KEYCHAIN_PROBE_TIMEOUT_MS,
  )
  if (keychain.ok) {
    return {
      vault: new KeychainVault(keychain.keytar, service),
      keychainUnavailable: null,
      needsBasicTextConsent: false,
    }
  }
  return { ...chooseFallback(options), keychainUnavailable: keychain.reason }
}

/** chooseVault's answer, held for the whole run; `acceptBasicText` then applies the person's answer at once. */
export async function openVault(options: ChooseVaultOptions): Promise<SwitchableVault> {
  return new SwitchableVault(await chooseVault(options), options)
}

/**
 * The vault the app holds for its whole run, delegating to the current choice. When the person accepts (or
 * withdraws) safeStorage's basic_text, what is behind it changes without a restart, and the secrets move along:
 * into the file, so nobody signs in again; out of it, so nothing stays in a file the person no longer wants.
 * Operations and switches run one at a time, so a token stored during a switch is neither lost nor left behind.
 */
export class SwitchableVault implements SecretVault {
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private choice: VaultChoice,
    private readonly fallback: Pick<ChooseVaultOptions, 'file' | 'cipher'>,
  ) {}

  get backend(): VaultBackend {
    return this.choice.vault.backend
  }

  status(): VaultStatus {
    return {
      needsConsent: this.choice.needsBasicTextConsent,
      unavailableReason: this.choice.keychainUnavailable,
    }
  }

  get(key: string): Promise<string | null> {
    return this.serially(() => this.choice.vault.get(key))
  }

  set(key: string, value: string): Promise<void> {
    return this.serially(() => this.choice.vault.set(key, value))
  }

  delete(key: string): Promise<void> {
    return this.serially(() => this.choice.vault.delete(key))
  }

  /**
   * Applies the person's answer about basic_text. Changes nothing where the answer does not matter: the keychain
   * answered, or safeStorage has a real key (or none at all). The keychain is not probed again, so a keyring that
   * is slow this time cannot demote it.
   */
  acceptBasicText(accept: boolean): Promise<void> {
    return this.serially(async () => {
      const reason = this.choice.keychainUnavailable
      if (reason === null) return
      const next = chooseFallback({ ...this.fallback, acceptBasicText: accept })
      if (next.vault.backend === this.backend) return
      await moveSecrets(this.choice.vault, next.vault)
      this.choice = { ...next, keychainUnavailable: reason }
    })
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work)
    this.queue = next.catch(() => undefined)
    return next
  }
}

/** The OS keychain: macOS Keychain, Windows Credential Manager, Secret Service (gnome-keyring, KWallet) on Linux. */
export class KeychainVault implements SecretVault {
  readonly backend: VaultBackend = 'keychain'

  constructor(
    private readonly keytar: KeytarLike,
    private readonly service: string = VAULT_SERVICE,
  ) {}

  get(key: string): Promise<string | null> {
    return this.keytar.getPassword(this.service, key)
  }

  set(key: string, value: string): Promise<void> {
    return this.keytar.setPassword(this.service, key, value)
  }

  async delete(key: string): Promise<void> {
    await this.keytar.deletePassword(this.service, key)
  }
}

/**
 * Ciphertext, base64, in a JSON file of our own (0600, written atomically). Each value is encrypted on its own;
 * key names (`refresh:<accountId>`) are not secret. Operations run one at a time so two writes never race.
 */
export class EncryptedFileVault implements SecretVault {
  readonly backend: VaultBackend
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly file: string,
    private readonly cipher: SecretCipher,
  ) {
    this.backend = cipher.backend() === 'basic_text' ? 'safe-storage-basic-text' : 'safe-storage'
  }

  get(key: string): Promise<string | null> {
    return this.serially(() => {
      const sealed = this.read()[key]
      if (sealed === undefined) return null
      try {
        return this.cipher.decrypt(Buffer.from(sealed, 'base64'))
      } catch {
        // The key changed (a new OS profile, a reset keyring): the secret is gone; the person signs in again.
        return null
      }
    })
  }

  set(key: string, value: string): Promise<void> {
    return this.serially(() => {
      const entries = this.read()
      entries[key] = this.cipher.encrypt(value).toString('base64')
      this.write(entries)
    })
  }

  delete(key: string): Promise<void> {
    return this.serially(() => {
      const entries = this.read()
      if (!(key in entries)) return
      delete entries[key]
      this.write(entries)
    })
  }

  /** The names of what is stored (never the secrets), so a switch of vault can move them. */
  keys(): Promise<string[]> {
    return this.serially(() => Object.keys(this.read()))
  }

  private read(): Record<string, string> {
    const read = readJsonFile(this.file)
    if (read.kind !== 'ok' || !isVaultFile(read.value)) return {}
    return { ...read.value.entries }
  }

  private write(entries: Record<string, string>): void {
    writeJsonFileAtomic(
      this.file,
      { version: 1, entries } satisfies VaultFile,
      0o600,
      'keep the sign-in on this computer',
    )
  }

  private serially<T>(work: () => T): Promise<T> {
    const next = this.queue.then(work)
    this.queue = next.catch(() => undefined)
    return next
  }
}

// ---- helpers ------------------------------------------------------------------------------------------------

/** Where secrets go when the keychain is unavailable: the one place that weighs basic_text against consent. */
function chooseFallback(
  options: Pick<ChooseVaultOptions, 'file' | 'cipher' | 'acceptBasicText'>,
): Omit<VaultChoice, 'keychainUnavailable'> {
  const { cipher } = options
  if (!cipher) return { vault: new MemoryVault(), needsBasicTextConsent: false }
  if (cipher.backend() === 'basic_text' && !options.acceptBasicText) {
    return { vault: new MemoryVault(), needsBasicTextConsent: true }
  }
  return { vault: new EncryptedFileVault(options.file, cipher), needsBasicTextConsent: false }
}

/**
 * Copies every secret `from` holds into `to`, then deletes them from `from`, so each lives in one place. Nothing is
 * deleted unless every copy succeeded. Only our own stores can list their keys; the keychain cannot, and is never
 * switched away from.
 */
async function moveSecrets(from: SecretVault, to: SecretVault): Promise<void> {
  const keys = canList(from) ? await from.keys() : []
  for (const key of keys) {
    const value = await from.get(key)
    if (value !== null) await to.set(key, value)
  }
  for (const key of keys) await from.delete(key)
}

interface ListableVault extends SecretVault {
  keys(): string[] | Promise<string[]>
}

function canList(vault: SecretVault): vault is ListableVault {
  return typeof (vault as Partial<ListableVault>).keys === 'function'
}

type KeychainProbe = { ok: true; keytar: KeytarLike } | { ok: false; reason: string }

/** Loads keytar and asks it for an entry that does not exist: only a keychain that answers counts as working. */
async function probeKeychain(
  load: () => Promise<KeytarLike>,
  service: string,
  timeoutMs: number,
): Promise<KeychainProbe> {
  let keytar: KeytarLike
  try {
    keytar = await load()
  } catch (error) {
    return { ok: false, reason: `The keychain library could not be loaded (${firstLine(error)}).` }
  }
  try {
    await withTimeout(keytar.getPassword(service, '__seat-tray-probe__'), timeoutMs)
    return { ok: true, keytar }
  } catch (error) {
    return { ok: false, reason: `The system keychain did not answer (${firstLine(error)}).` }
  }
}

async function loadKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as KeytarLike & { default?: KeytarLike }
  return mod.default ?? mod
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0]?.slice(0, 200) ?? 'unknown error'
}

interface VaultFile {
  version: 1
  entries: Record<string, string>
}

function isVaultFile(value: unknown): value is VaultFile {
  if (typeof value !== 'object' || value === null) return false
  const entries = (value as { entries?: unknown }).entries
  return (
    typeof entries === 'object' &&
    entries !== null &&
    Object.values(entries).every((v) => typeof v === 'string')
  )
}

export { MemoryVault }
