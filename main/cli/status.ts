/**
 * `seat-tray status`: one check, as a monitoring plugin (Nagios, Icinga, Naemon, Zabbix, node_exporter's textfile
 * collector). Uses the engine's Session for tokens and its CRM client for the counts; keeps the access token between
 * runs (token-cache.ts) so a check every minute never locks itself out of Zoho.
 */

import type { OrgInfo, Snapshot } from '../../common/model'
import { type ProblemKind, problem } from '../../common/problems'
import { SeatTrayError } from '../core/errors'
import { type Clock, type FetchLike, holdingClock, systemClock, type TimerHandle } from '../core/ports'
import { pendingInvitesLine } from '../core/seat-holders'
import { versionLine } from '../core/version'
import { type CrmCall, fetchOrg, fetchUserLicenses } from '../core/zoho/crm'
import { dataCenterForAccountsServer } from '../core/zoho/datacenters'
import { fetchInviteCounts } from '../core/zoho/users'
import { CliSession } from './cli-session'
import { type Env, parseOptions, readZohoConfig, wholeNumber, type ZohoConfig } from './config'
import { cliSentence } from './messages'
import { exitFor, FORMATS, type Format, formatAskedFor, printFailure, printReading } from './output'
import { checkWarningPossible, parseThreshold, type Threshold } from './thresholds'
import { defaultCacheDir } from './token-cache'
import { type CheckStatus, EXIT, UsageError } from './usage'

export interface StatusIo {
  env: Env
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  fetch?: FetchLike
  clock?: Clock
}

export const VERSION_LINE = `${versionLine()}\n`
export const DEFAULT_TIMEOUT_S = 10

export const STATUS_HELP = `Usage: seat-tray status [-w RANGE] [-c RANGE] [-t SECONDS] [-v] [--json | --format FORMAT]
                        [--token-cache DIR | --no-token-cache]

Checks free Zoho CRM user licenses once, as a monitoring plugin.
Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the check failed, timed out, or was called wrongly).

  -w, --warning RANGE   WARNING threshold on free seats (default 1)
  -c, --critical RANGE  CRITICAL threshold on free seats (default 0)
      A whole number N means "alert when free seats <= N" (as --warn/--crit always did).
      Anything with a colon is a monitoring-plugins range, alert when free is outside it:
      5: (below 5), ~:10 (above 10), 10:20 (outside 10..20), @0:1 (inside 0..1).
      The critical threshold must leave WARNING possible (-w 10 -c 20 is refused).
      --warn and --crit are the old names of -w and -c.
  -t, --timeout SECONDS The whole run's budget, every request included (default ${DEFAULT_TIMEOUT_S}); UNKNOWN when it runs out.
  -v, --verbose         Adds the org, the time of the check, the data center and the thresholds.
      --json            One JSON object (same as --format json).
      --format FORMAT   plugin (default), json, or openmetrics (Prometheus text for node_exporter's textfile collector).
      --token-cache DIR Where the access token is kept between runs
                        (default: $XDG_CACHE_HOME/seat-tray, ~/.cache/seat-tray; macOS ~/Library/Caches/seat-tray;
                        Windows %LOCALAPPDATA%\\seat-tray\\Cache). Only the access token, in a 0600 file.
      --no-token-cache  Ask Zoho for a new access token every run (Zoho allows 10 per 10 minutes).
  -V, --version         Prints the version.
  -h, --help            Prints this help.

Environment: ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN (required); ZOHO_ACCOUNTS_SERVER (default
accounts.zoho.com; the org's data center, e.g. accounts.zoho.eu, scheme optional); ZOHO_API_DOMAIN (default: what
Zoho names); ZOHO_ALLOW_LOOPBACK=1/true/yes (only to check against seat-tray simulate).
`

const OPTIONS = {
  warning: { type: 'string', short: 'w' },
  critical: { type: 'string', short: 'c' },
  warn: { type: 'string' },
  crit: { type: 'string' },
  timeout: { type: 'string', short: 't' },
  verbose: { type: 'boolean', short: 'v', multiple: true },
  json: { type: 'boolean' },
  format: { type: 'string' },
  'token-cache': { type: 'string' },
  'no-token-cache': { type: 'boolean' },
  version: { type: 'boolean', short: 'V' },
  help: { type: 'boolean', short: 'h' },
} as const

interface StatusOptions {
  format: Format
  warning: Threshold
  critical: Threshold
  timeoutMs: number
  verbose: number
  cacheDir: string | null
}

export async function status(args: readonly string[], io: StatusIo): Promise<number> {
  const asked = formatAskedFor(args)
  let options: StatusOptions
  let config: ZohoConfig
  try {
    const { values } = parseOptions(args, OPTIONS)
    if (values.help || values.version) {
      io.stdout.write(values.help ? STATUS_HELP : VERSION_LINE)
      return EXIT.ok
    }
    options = readOptions(values, io.env)
    config = readZohoConfig(io.env)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    return printFailure(asked, { kind: 'usage', sentence: error.message }, null, io)
  }
  const clock = io.clock ?? systemClock
  const deadline = Date.now() + options.timeoutMs
  const budget = new AbortController()
  let timer: TimerHandle | undefined
  const expired = new Promise<'expired'>((resolve) => {
    timer = holdingClock.setTimeout(() => {
      budget.abort()
      resolve('expired')
    }, options.timeoutMs)
  })
  const base: FetchLike = io.fetch ?? ((url, init) => fetch(url, init))
  // Every request shares the run's one budget, so three slow requests cannot add up past -t.
  const fetchInBudget: FetchLike = (url, init) =>
    base(url, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, budget.signal]) : budget.signal,
    })
  try {
    const result = await Promise.race([
      check(config, options, { fetch: fetchInBudget, clock, deadline }),
      expired,
    ])
    if (result === 'expired') {
      const seconds = options.timeoutMs / 1000
      return printFailure(
        options.format,
        {
          kind: 'timeout',
          sentence: cliSentence(
            problem('timeout', { detail: `no answer within the ${seconds} s budget of -t` }),
          ),
        },
        config.accountsServer,
        io,
      )
    }
    if ('failure' in result) {
      return printFailure(
        options.format,
        { kind: result.failure.kind, sentence: cliSentence(result.failure) },
        config.accountsServer,
        io,
      )
    }
    const dc = dataCenterForAccountsServer(config.accountsServer)
    await printReading(
      options.format,
      {
        ...result,
        warning: options.warning,
        critical: options.critical,
        accountsServer: config.accountsServer,
        dataCenter: dc ? `${dc.id} – ${dc.label}` : 'not a Zoho data center',
        verbose: options.verbose,
      },
      (t) => io.stdout.write(t),
    )
    return exitFor(result.verdict)
  } finally {
    if (timer !== undefined) holdingClock.clearTimeout(timer)
    budget.abort()
  }
}

function readOptions(values: Record<string, unknown>, env: Env): StatusOptions {
  const str = (k: string) => values[k] as string | undefined
  const format = str('format') ?? (values.json ? 'json' : 'plugin')
  const normalized = format === 'nagios' ? 'plugin' : format
  if (!FORMATS.includes(normalized as Format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format.slice(0, 20)}"`)
  }
  if (values.json && str('format') && normalized !== 'json') {
    throw new UsageError('--json and --format say different things: give one of them')
  }
  const pick = (long: string, old: string) => {
    if (str(long) !== undefined && str(old) !== undefined) {
      throw new UsageError(`--${old} is the old name of --${long}: give one of them`)
    }
    return str(long) ?? str(old)
  }
  const warning = parseThreshold(pick('warning', 'warn') ?? '1', '-w')
  const critical = parseThreshold(pick('critical', 'crit') ?? '0', '-c')
  checkWarningPossible(warning, critical, ['-w', '-c'])
  const timeoutS = wholeNumber(str('timeout'), '-t', DEFAULT_TIMEOUT_S, { min: 1, max: 3600 })
  if (values['no-token-cache'] && str('token-cache')) {
    throw new UsageError('--token-cache and --no-token-cache contradict each other: give one of them')
  }
  return {
    format: normalized as Format,
    warning,
    critical,
    timeoutMs: timeoutS * 1000,
    verbose: Array.isArray(values.verbose) ? values.verbose.length : 0,
    cacheDir: values['no-token-cache'] ? null : (str('token-cache') ?? defaultCacheDir(env)),
  }
}

type CheckResult =
  | {
      verdict: CheckStatus
      snapshot: Snapshot
      org: OrgInfo | null
      apiDomain: string
      seatHoldersLine: string | null
    }
  | { failure: { kind: ProblemKind; detail?: string } }

async function check(
  config: ZohoConfig,
  options: StatusOptions,
  deps: { fetch: FetchLike; clock: Clock; deadline: number },
): Promise<CheckResult> {
  const { clock } = deps
  const zoho = await CliSession.open(config, options, deps)
  const session = zoho.session
  const withToken = <T>(fn: (call: CrmCall) => Promise<T>) => zoho.withToken(fn)

  try {
    // Waits for the token-cache lock at most half the budget: a late check is worse than one more token request.
    await zoho.warm(Date.now() + (deps.deadline - Date.now()) / 2)
    const http = { fetch: deps.fetch, clock, timeoutMs: options.timeoutMs }
    const snapshot = await withToken((call) => fetchUserLicenses(http, call))
    // The org costs one more API call, so only when it is shown; a failure there does not fail the check.
    const org =
      options.format === 'json' || options.verbose > 0
        ? await withToken((call) => fetchOrg(http, call)).catch(() => null)
        : null
    // Seat holders (issue 11): two counts, only when asked for detail; a missing scope is said, never a failure.
    const seatHoldersLine =
      options.verbose > 0 && options.format === 'plugin'
        ? pendingInvitesLine(
            await withToken((call) => fetchInviteCounts(http, call)).catch((error: unknown) =>
              error instanceof SeatTrayError && error.problem.kind === 'scope-missing'
                ? 'scope-missing'
                : null,
            ),
            snapshot.active,
          )
        : null
    const verdict: CheckStatus = options.critical.alerts(snapshot.available)
      ? 'CRITICAL'
      : options.warning.alerts(snapshot.available)
        ? 'WARNING'
        : 'OK'
    return { verdict, snapshot, org, apiDomain: config.apiDomain ?? session.apiDomain, seatHoldersLine }
  } catch (error) {
    if (error instanceof SeatTrayError) return { failure: error.problem }
    if (error instanceof Error && error.name === 'UntrustedHostError')
      return { failure: problem('untrusted-host') }
    return {
      failure: problem('bad-response', { detail: error instanceof Error ? error.name : 'unexpected error' }),
    }
  }
}
