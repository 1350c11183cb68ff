import type { VaultBackend } from '../../common/contract'
import type { SecretVault } from './ports'

/**
 * Secrets held for this run only: the CLI (its refresh token comes from the environment), demo mode, tests, and the
 * app's fallback while the person has not accepted a weaker store. Nothing is written anywhere.
 */
export class MemoryVault implements SecretVault {
  readonly backend: VaultBackend = 'memory'
  private readonly entries = new Map<string, string>()

  async get(key: string): Promise<string | null> {
    return this.entries.get(key) ?? null
  }

  async set(key: string, value: string): Promise<void> {
    this.entries.set(key, value)
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key)
  }

  /** The names of what is held (never the secrets), for tests and diagnostics. */
  keys(): string[] {
    return [...this.entries.keys()]
  }
}
