/**
 * Electron's safeStorage as the vault's cipher (see vault.ts): the key lives in the Keychain on macOS, DPAPI on
 * Windows, and libsecret/KWallet on Linux, or a hard-coded password (`basic_text`) when Linux has no store.
 * Only usable after app `ready`.
 */
import { safeStorage } from 'electron'
import type { SecretCipher } from './vault'

/** null when safeStorage cannot encrypt here; the vault then keeps secrets in memory only. */
export function safeStorageCipher(): SecretCipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null
  return {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (encrypted) => safeStorage.decryptString(encrypted),
    // getSelectedStorageBackend is Linux-only; elsewhere the OS store is always the backend.
    backend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'),
  }
}
