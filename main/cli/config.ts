/**
 * What every subcommand reads from the environment and the command line, with one rule per thing: Zoho hosts may
 * be written without a scheme, booleans are 1/true/yes or 0/false/no, numbers are whole.
 */
import { parseArgs } from 'node:util'
import { dataCenterForAccountsServer, type HostPolicy } from '../core/zoho/datacenters'
import { UsageError } from './usage'

export type Env = Record<string, string | undefined>

export interface ZohoConfig {
  clientId: string
  clientSecret: string
  refreshToken: string
  accountsServer: string
  /** ZOHO_API_DOMAIN when set: it wins over the api_domain a refresh names. */
  apiDomain: string | undefined
  /** Used only until the first refresh names the real one. */
  guessedApiDomain: string
  hostPolicy: HostPolicy
}

export const SECRET_ENV = ['ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN'] as const

/** Throws UsageError naming every missing variable, or a bad boolean. */
export function readZohoConfig(env: Env): ZohoConfig {
  const hostPolicy = { allowLoopback: envFlag(env, 'ZOHO_ALLOW_LOOPBACK') }
  const required = ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN'] as const
  const missing = required.filter((name) => !env[name]?.trim())
  if (missing.length > 0) {
    throw new UsageError(`Set ${missing.join(', ')} in the environment (see seat-tray status --help).`)
  }
  const accountsServer = withScheme(env.ZOHO_ACCOUNTS_SERVER) ?? 'https://accounts.zoho.com'
  return {
    clientId: env.ZOHO_CLIENT_ID!.trim(),
    clientSecret: env.ZOHO_CLIENT_SECRET!.trim(),
    refreshToken: env.ZOHO_REFRESH_TOKEN!.trim(),
    accountsServer,
    apiDomain: withScheme(env.ZOHO_API_DOMAIN),
    guessedApiDomain: dataCenterForAccountsServer(accountsServer)?.apiDomain ?? accountsServer,
    hostPolicy,
  }
}

/** `accounts.zoho.eu` → `https://accounts.zoho.eu`; a trailing slash is dropped. Empty → undefined. */
export function withScheme(value: string | undefined): string | undefined {
  const v = value?.trim()
  if (!v) return undefined
  const full = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`
  return full.replace(/\/+$/, '')
}

const TRUE = ['1', 'true', 'yes', 'on']
const FALSE = ['', '0', 'false', 'no', 'off']

export function envFlag(env: Env, name: string): boolean {
  const v = (env[name] ?? '').trim().toLowerCase()
  if (TRUE.includes(v)) return true
  if (FALSE.includes(v)) return false
  throw new UsageError(`${name} must be 1, true or yes (or 0, false, no), not "${v.slice(0, 20)}"`)
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options']

export function parseOptions<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false })
  } catch (error) {
    // Node's messages name the option and what was wrong with it; they never quote a value we were given.
    const said = error instanceof Error ? error.message.split('. ')[0]!.replace(/\s+/g, ' ') : String(error)
    throw new UsageError(`${said} (--help lists the options)`)
  }
}

export function wholeNumber(
  value: string | undefined,
  flag: string,
  fallback: number,
  bounds: { min?: number; max?: number } = {},
): number {
  if (value === undefined) return fallback
  const min = bounds.min ?? 0
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} needs a whole number ≥ ${min}`)
  const n = Number(value.trim())
  if (n < min || (bounds.max !== undefined && n > bounds.max)) {
    throw new UsageError(`${flag} must be between ${min} and ${bounds.max ?? '∞'}`)
  }
  return n
}
