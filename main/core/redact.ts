/**
 * Redaction for everything Seat Tray writes to its log (and the diagnostics report): one function every line passes
 * through before any transport sees it. Three nets, so a secret is caught however it arrives:
 *  1. values: every secret the app holds is registered as it passes through the vault (redactingVault below) or the
 *     proxy sign-in, and any occurrence of it, anywhere in any text, is replaced;
 *  2. keys: in objects, a field named like a secret (refreshToken, client_secret, password, authorization…) is
 *     replaced whatever it holds;
 *  3. shapes: text that looks like a secret (Zoho's `1000.<hex>.<hex>` tokens, `Zoho-oauthtoken …`, `Bearer …`,
 *     `refresh_token=…`, a URL's `user:password@`) is replaced even if nobody registered it.
 * Plain Node; no electron.
 */
import type { SecretVault } from './ports'

export const REDACTED = '[redacted]'

/** Field names whose value is a secret, whatever it looks like. */
const SECRET_KEY = /(token|secret|password|passwd|authorization|cookie|credential|^code$|code_verifier|^pw$)/i

/** Shapes of secrets in free text; the first group (when present) is kept, the rest replaced. */
const SECRET_SHAPES: RegExp[] = [
  // Zoho access and refresh tokens: 1000.<32+ hex>.<32+ hex>
  /\b1000\.[0-9a-f]{16,}\.[0-9a-f]{16,}\b/gi,
  // Authorization headers.
  /\b(Zoho-oauthtoken\s+|Bearer\s+|Basic\s+)[^\s"',;]+/gi,
  // Form and query fields: refresh_token=…, client_secret=…, password=…, code=…
  /\b((?:refresh_token|access_token|client_secret|code_verifier|password|code)=)[^&\s"']+/gi,
  // JSON fields in text: "refresh_token":"…", "clientSecret": "…"
  /("(?:[\w-]*(?:token|secret|password)[\w-]*)"\s*:\s*")[^"]*/gi,
  // A URL's user:password@ (a proxy URL with its password).
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+(?=@)/gi,
]

/** Shorter values are not registered: a one- or two-character "secret" would redact every word that contains it. */
const MIN_SECRET_LENGTH = 4

export class Redactor {
  private readonly secrets = new Set<string>()

  /** Every occurrence of `value` is redacted from now on. */
  addSecret(value: string | null | undefined): void {
    if (typeof value !== 'string') return
    const trimmed = value.trim()
    if (trimmed.length >= MIN_SECRET_LENGTH) this.secrets.add(trimmed)
    // A secret also travels percent-encoded in URLs and form bodies.
    const encoded = encodeURIComponent(trimmed)
    if (encoded !== trimmed && encoded.length >= MIN_SECRET_LENGTH) this.secrets.add(encoded)
  }

  /** Text with every registered secret and every secret-shaped run replaced. */
  text(input: string): string {
    let out = input
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length))
      out = out.split(secret).join(REDACTED)
    for (const shape of SECRET_SHAPES)
      out = out.replace(
        shape,
        (_match, keep?: string) => `${typeof keep === 'string' ? keep : ''}${REDACTED}`,
      )
    return out
  }

  /**
   * Any value as it should be logged: strings redacted, errors rebuilt from their redacted message and stack,
   * objects copied with secret-named fields replaced. Cycles and depth are cut, never followed.
   */
  value(input: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
    if (typeof input === 'string') return this.text(input)
    if (input === null || typeof input !== 'object') {
      return typeof input === 'function' || typeof input === 'symbol' ? String(input) : input
    }
    if (seen.has(input)) return '[circular]'
    if (depth > 6) return '[deep]'
    seen.add(input)
    if (input instanceof Error) {
      const copy = new Error(this.text(input.message))
      copy.name = input.name
      copy.stack = input.stack ? this.text(input.stack) : undefined
      const cause = (input as { cause?: unknown }).cause
      if (cause !== undefined) (copy as { cause?: unknown }).cause = this.value(cause, depth + 1, seen)
      return copy
    }
    if (Array.isArray(input)) return input.map((item) => this.value(item, depth + 1, seen))
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(input)) {
      // A secret is text (or something holding text); a flag such as acceptPlainTextSecrets: false is not one.
      const holdsText = typeof item === 'string' ? item !== '' : item !== null && typeof item === 'object'
      out[key] = SECRET_KEY.test(key) && holdsText ? REDACTED : this.value(item, depth + 1, seen)
    }
    return out
  }
}

/**
 * A vault that tells the redactor every secret it stores or hands out, so the secret cannot reach the log later,
 * whatever code logs it. The vault is where every refresh token and the client secret pass.
 */
export function redactingVault<V extends SecretVault>(vault: V, redactor: Redactor): V {
  return new Proxy(vault, {
    get(target, property, receiver) {
      if (property === 'get') {
        return async (key: string) => {
          const value = await target.get(key)
          redactor.addSecret(value)
          return value
        }
      }
      if (property === 'set') {
        return (key: string, value: string) => {
          redactor.addSecret(value)
          return target.set(key, value)
        }
      }
      const member = Reflect.get(target, property, receiver)
      return typeof member === 'function' ? member.bind(target) : member
    },
  })
}
