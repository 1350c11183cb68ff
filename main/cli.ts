/**
 * The `seat-tray` command.
 *   seat-tray status    one check for monitoring systems (Nagios/Icinga plugin conventions: exit 0/1/2/3, perfdata)
 *   seat-tray simulate  the Zoho simulator on loopback, for demos and for trying `status` without a Zoho account
 *
 * It runs in plain Node (never Electron) and uses the same engine as the app: Session for tokens, the CRM client
 * for counts. Secrets come from the environment and are never printed by `status`.
 */
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { OrgInfo, Snapshot } from '../common/model'
import { type Problem, problem } from '../common/problems'
import { SeatTrayError } from './core/errors'
import { MemoryVault } from './core/memory-vault'
import { type Clock, type FetchLike, systemClock } from './core/ports'
import { Session } from './core/session'
import { fetchOrg, fetchUserLicenses } from './core/zoho/crm'
import { dataCenterForAccountsServer, type HostPolicy } from './core/zoho/datacenters'
import { isScenarioName, SCENARIO_DESCRIPTIONS, SCENARIOS } from './demo/scenarios'
import { startSimulator } from './demo/simulator'

export interface CliIo {
  env: Record<string, string | undefined>
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  fetch?: FetchLike
  clock?: Clock
  /** Ends `simulate` (the bin aborts it on SIGINT/SIGTERM). Without it, `simulate` serves until the process ends. */
  signal?: AbortSignal
}

/** Nagios plugin exit codes. */
export const EXIT = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const
export type CheckStatus = 'OK' | 'WARNING' | 'CRITICAL'

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'status':
        return await status(rest, io)
      case 'simulate':
        return await simulate(rest, io)
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE)
        return command === undefined ? EXIT.unknown : EXIT.ok
      default:
        return usageError(io, `unknown command "${command}"`)
    }
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message)
    throw error
  }
}

const USAGE = `Usage:
  seat-tray status [--json] [--warn N] [--crit N] [--verbose]
      Checks free Zoho CRM user licenses once. Exit 0 OK, 1 WARNING (free <= warn, default 1),
      2 CRITICAL (free <= crit, default 0), 3 UNKNOWN (the check failed).
      Reads ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ZOHO_ACCOUNTS_SERVER
      (default https://accounts.zoho.com), ZOHO_API_DOMAIN (default: what Zoho names),
      ZOHO_ALLOW_LOOPBACK=1 (only to check against the simulator).
  seat-tray simulate [--port N] [--scenario NAME]
      Runs the Zoho simulator on 127.0.0.1 and prints one JSON line with its addresses, client and a refresh token.
      Scenarios:
${SCENARIOS.map((s) => `        ${s.padEnd(15)} ${SCENARIO_DESCRIPTIONS[s]}`).join('\n')}
`

async function status(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    warn: { type: 'string' },
    crit: { type: 'string' },
  })
  const warn = count(values.warn, '--warn', 1)
  const crit = count(values.crit, '--crit', 0)
  const json = values.json === true

  const config = readConfig(io.env)
  if ('missing' in config) {
    return unknown(io, json, {
      message: `Set ${config.missing.join(', ')} in the environment (see seat-tray --help).`,
    })
  }

  const clock = io.clock ?? systemClock
  const fetchImpl: FetchLike = io.fetch ?? ((url, init) => fetch(url, init))
  const vault = new MemoryVault()
  const deps = { fetch: fetchImpl, clock, vault, hostPolicy: config.hostPolicy }
  await Session.store(vault, CLI_ACCOUNT, config.refreshToken)
  const session = new Session(
    deps,
    {
      id: CLI_ACCOUNT,
      accountsServer: config.accountsServer,
      apiDomain: config.apiDomain ?? config.guessedApiDomain,
    },
    { clientId: config.clientId, clientSecret: config.clientSecret },
  )
  // ZOHO_API_DOMAIN, when set, wins over the api_domain a refresh names.
  const crm = { fetch: fetchImpl, clock }
  const call = (token: string, apiDomain: string) => ({
    apiDomain: config.apiDomain ?? apiDomain,
    accessToken: token,
    hostPolicy: config.hostPolicy,
  })

  let snapshot: Snapshot
  try {
    snapshot = await session.withToken((token, apiDomain) => fetchUserLicenses(crm, call(token, apiDomain)))
  } catch (error) {
    return unknown(io, json, problemOf(error))
  }
  // The org costs one more API call, so only when it is shown; a failure there does not fail the check.
  let org: OrgInfo | null = null
  if (json || values.verbose) {
    org = await session
      .withToken((token, apiDomain) => fetchOrg(crm, call(token, apiDomain)))
      .catch(() => null)
  }

  const verdict: CheckStatus =
    snapshot.available <= crit ? 'CRITICAL' : snapshot.available <= warn ? 'WARNING' : 'OK'
  if (json) {
    const out = {
      purchased: snapshot.purchased,
      active: snapshot.active,
      available: snapshot.available,
      org,
      checkedAt: new Date(snapshot.at).toISOString(),
      status: verdict,
    }
    io.stdout.write(`${JSON.stringify(out)}\n`)
  } else {
    io.stdout.write(`${statusLine(verdict, snapshot, warn, crit)}\n`)
    if (values.verbose) io.stdout.write(verboseLines(snapshot, org, session.apiDomain, config.accountsServer))
  }
  return EXIT[verdict.toLowerCase() as Lowercase<CheckStatus>]
}

/** `ZOHO SEATS WARNING - 1 of 25 seats free (24 active) | available=1;1;0;0;25 active=24;;;0;25 purchased=25;;;0;` */
export function statusLine(verdict: CheckStatus, s: Snapshot, warn: number, crit: number): string {
  const text = `ZOHO SEATS ${verdict} - ${s.available} of ${s.purchased} seats free (${s.active} active)`
  const perf = [
    `available=${s.available};${warn};${crit};0;${s.purchased}`,
    `active=${s.active};;;0;${s.purchased}`,
    `purchased=${s.purchased};;;0;`,
  ]
  return `${text} | ${perf.join(' ')}`
}

function verboseLines(s: Snapshot, org: OrgInfo | null, apiDomain: string, accountsServer: string): string {
  const dc = dataCenterForAccountsServer(accountsServer)
  const lines = [
    `org: ${org ? `${org.name} (id ${org.id})` : 'unknown (could not read the org)'}`,
    `checked at: ${new Date(s.at).toISOString()}`,
    `data center: ${dc ? `${dc.id} – ${dc.label}` : 'not a Zoho data center'} (${accountsServer}, API ${apiDomain})`,
  ]
  if (org?.paidExpiry) lines.push(`paid until: ${org.paidExpiry}`)
  if (org?.trialExpiry) lines.push(`trial ends: ${org.trialExpiry}`)
  if (s.mismatch)
    lines.push('note: Zoho’s available count disagrees with purchased − active; showing Zoho’s number')
  return `${lines.join('\n')}\n`
}

/** UNKNOWN: the status line monitoring systems read on stdout, and what happened and what to do on stderr. */
function unknown(io: CliIo, json: boolean, p: Pick<Problem, 'message'> & Partial<Problem>): number {
  const hint = (p.kind && CLI_HINTS_BY_KIND[p.kind]) || (p.action && CLI_HINTS[p.action])
  const sentence = hint ? `${p.message} ${hint}` : p.message
  if (json) {
    const error = { kind: p.kind ?? 'config', message: sentence, ...(p.detail ? { detail: p.detail } : {}) }
    io.stdout.write(`${JSON.stringify({ status: 'UNKNOWN', error })}\n`)
  } else {
    io.stdout.write(`ZOHO SEATS UNKNOWN - ${sentence}\n`)
  }
  io.stderr.write(`seat-tray: ${sentence}${p.detail ? ` (${p.detail})` : ''}\n`)
  return EXIT.unknown
}

/** The app's fixes, said for a command line where there is no sign-in button. */
const CLI_HINTS_BY_KIND: Partial<Record<Problem['kind'], string>> = {
  'untrusted-host':
    'For this command: ZOHO_ACCOUNTS_SERVER and ZOHO_API_DOMAIN must be Zoho hosts (ZOHO_ALLOW_LOOPBACK=1 only for the simulator).',
}

const CLI_HINTS: Partial<Record<Problem['action'], string>> = {
  'sign-in': 'For this command: put a new refresh token in ZOHO_REFRESH_TOKEN.',
  'check-client': 'Check ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_ACCOUNTS_SERVER.',
}

function problemOf(error: unknown): Problem {
  if (error instanceof SeatTrayError) return error.problem
  return problem('bad-response', { detail: error instanceof Error ? error.name : 'unexpected error' })
}

const CLI_ACCOUNT = 'cli'

interface CliConfig {
  clientId: string
  clientSecret: string
  refreshToken: string
  accountsServer: string
  apiDomain: string | undefined
  /** Used only until the first refresh names the real one. */
  guessedApiDomain: string
  hostPolicy: HostPolicy
}

function readConfig(env: CliIo['env']): CliConfig | { missing: string[] } {
  const required = ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN'] as const
  const missing = required.filter((name) => !env[name]?.trim())
  if (missing.length > 0) return { missing }
  const accountsServer = env.ZOHO_ACCOUNTS_SERVER?.trim() || 'https://accounts.zoho.com'
  return {
    clientId: env.ZOHO_CLIENT_ID!.trim(),
    clientSecret: env.ZOHO_CLIENT_SECRET!.trim(),
    refreshToken: env.ZOHO_REFRESH_TOKEN!.trim(),
    accountsServer,
    apiDomain: env.ZOHO_API_DOMAIN?.trim() || undefined,
    guessedApiDomain: dataCenterForAccountsServer(accountsServer)?.apiDomain ?? accountsServer,
    hostPolicy: { allowLoopback: env.ZOHO_ALLOW_LOOPBACK === '1' },
  }
}

async function simulate(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' }, scenario: { type: 'string' } })
  const port = values.port === undefined ? 0 : count(values.port, '--port', 0)
  if (port > 65_535) throw new UsageError('--port must be at most 65535')
  const scenario = values.scenario ?? 'steady'
  if (!isScenarioName(scenario))
    throw new UsageError(`unknown scenario "${scenario}" (one of ${SCENARIOS.join(', ')})`)

  let sim: Awaited<ReturnType<typeof startSimulator>>
  try {
    sim = await startSimulator({ port, scenario, ...(io.clock ? { clock: io.clock } : {}) })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error
    io.stderr.write(
      `seat-tray: cannot listen on 127.0.0.1:${port} (${code}). Pick another --port, or leave it out.\n`,
    )
    return EXIT.unknown
  }
  const line = {
    accountsServer: sim.accountsServer,
    apiDomain: sim.apiDomain,
    clientId: sim.client.clientId,
    clientSecret: sim.client.clientSecret,
    refreshToken: sim.refreshToken,
    ...(sim.secondDc ? { secondDc: sim.secondDc } : {}),
  }
  io.stdout.write(`${JSON.stringify(line)}\n`)
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve()
    io.signal?.addEventListener('abort', () => resolve(), { once: true })
  })
  await sim.close()
  return EXIT.ok
}

class UsageError extends Error {}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`seat-tray: ${message}\n${USAGE}`)
  return EXIT.unknown
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options']

function parse<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

function count(value: string | boolean | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw new UsageError(`${flag} needs a whole number ≥ 0`)
  return Number(value)
}

/** Runs the command for a real process: arguments, environment, exit code, and Ctrl-C ending `simulate`. */
export async function main(): Promise<void> {
  const stop = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort())
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: stop.signal,
  })
  // Exit now rather than when idle keep-alive sockets to Zoho time out, seconds later. stdout is a file or a pipe
  // for monitoring systems, and Node writes those synchronously, so nothing printed is lost.
  process.exit(code)
}

// `tsx main/cli.ts …` or `node out/cli/seat-tray.mjs …`; bin/seat-tray.mjs imports the bundle and calls main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
