/**
 * The three ways `status` answers, each keeping its promise whatever happens:
 * - plugin: exactly one first line `ZOHO SEATS STATUS - text | perfdata`, long output after it;
 * - json: exactly one JSON object on one line (for Zabbix's JSONPath preprocessing);
 * - openmetrics: valid exposition text ending in `# EOF`, a success gauge at 0 on failure, never a stray line.
 */
import type { OrgInfo, Snapshot } from '../../common/model'
import type { ProblemKind } from '../../common/problems'
import { singleLine } from '../core/text'
import { seatMetrics, serverLabel } from './metrics'
import type { Threshold } from './thresholds'
import { type CheckStatus, EXIT } from './usage'

export type Format = 'plugin' | 'json' | 'openmetrics'
export const FORMATS: readonly Format[] = ['plugin', 'json', 'openmetrics']

export const SERVICE = 'ZOHO SEATS'

/**
 * The format asked for, read from the raw arguments before they are parsed, so that even a usage error is
 * reported in it. The last mention wins, as with the parser.
 */
export function formatAskedFor(args: readonly string[]): Format {
  let format: Format = 'plugin'
  args.forEach((arg, i) => {
    if (arg === '--json') format = 'json'
    const value = arg.startsWith('--format=') ? arg.slice(9) : arg === '--format' ? args[i + 1] : undefined
    if (value === 'json' || value === 'openmetrics') format = value
    if (value === 'plugin' || value === 'nagios') format = 'plugin'
  })
  return format
}

/** `ZOHO SEATS OK - 5 of 25 seats free (20 active) | available=5;2:;1:;0;25 active=20;;;0;25 purchased=25;;;0;` */
export function statusLine(
  verdict: CheckStatus,
  s: Snapshot,
  warning: Threshold,
  critical: Threshold,
): string {
  const text = `${SERVICE} ${verdict} - ${s.available} of ${s.purchased} seats free (${s.active} active)`
  const perf = [
    `available=${s.available};${warning.range};${critical.range};0;${s.purchased}`,
    `active=${s.active};;;0;${s.purchased}`,
    `purchased=${s.purchased};;;0;`,
  ]
  return `${text} | ${perf.join(' ')}`
}

export interface Reading {
  verdict: CheckStatus
  snapshot: Snapshot
  org: OrgInfo | null
  warning: Threshold
  critical: Threshold
  accountsServer: string
  apiDomain: string
  dataCenter: string
  verbose: number
  /** "2 pending invites hold seats" (verbose only, when the scope allows); null for nothing to say. */
  seatHoldersLine?: string | null
}

export async function printReading(format: Format, r: Reading, write: (t: string) => void): Promise<void> {
  if (format === 'json') {
    const out = {
      status: r.verdict,
      purchased: r.snapshot.purchased,
      active: r.snapshot.active,
      available: r.snapshot.available,
      org: r.org,
      checkedAt: new Date(r.snapshot.at).toISOString(),
      thresholds: { warning: r.warning.range, critical: r.critical.range },
    }
    write(`${JSON.stringify(out)}\n`)
    return
  }
  if (format === 'openmetrics') {
    const m = seatMetrics()
    m.reading(serverLabel(r.accountsServer), r.snapshot, EXIT[lower(r.verdict)])
    write(await m.registry.metrics())
    return
  }
  write(`${statusLine(r.verdict, r.snapshot, r.warning, r.critical)}\n`)
  if (r.verbose > 0) write(verboseLines(r))
}

function verboseLines(r: Reading): string {
  const { org, snapshot: s } = r
  const lines = [
    `org: ${org ? `${singleLine(org.name, 200)} (id ${singleLine(org.id, 200)})` : 'unknown (could not read the org)'}`,
    `checked at: ${new Date(s.at).toISOString()}`,
    `data center: ${r.dataCenter} (${r.accountsServer}, API ${r.apiDomain})`,
    `thresholds: warning ${r.warning.range}, critical ${r.critical.range} (perfdata ranges: alert outside)`,
  ]
  if (org?.paidExpiry) lines.push(`paid until: ${singleLine(org.paidExpiry, 200)}`)
  if (org?.trialExpiry) lines.push(`trial ends: ${singleLine(org.trialExpiry, 200)}`)
  if (r.seatHoldersLine) lines.push(singleLine(r.seatHoldersLine, 200))
  if (s.mismatch)
    lines.push('note: Zoho’s available count disagrees with purchased − active; showing Zoho’s number')
  return `${lines.join('\n')}\n`
}

export interface Failure {
  kind: ProblemKind | 'usage'
  /** Already a full sentence for a monitoring screen. */
  sentence: string
}

/** UNKNOWN in the asked format on stdout, and the same sentence on stderr for whoever runs it by hand. */
export async function printFailure(
  format: Format,
  f: Failure,
  accountsServer: string | null,
  io: { stdout: { write(t: string): unknown }; stderr: { write(t: string): unknown } },
): Promise<number> {
  const sentence = singleLine(f.sentence, 600)
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ status: 'UNKNOWN', error: { kind: f.kind, message: sentence } })}\n`)
  } else if (format === 'openmetrics') {
    const m = seatMetrics()
    m.failure(accountsServer ? serverLabel(accountsServer) : 'unknown')
    io.stdout.write(await m.registry.metrics())
  } else {
    io.stdout.write(`${SERVICE} UNKNOWN - ${sentence}\n`)
  }
  io.stderr.write(`seat-tray: ${sentence}\n`)
  return EXIT.unknown
}

function lower(v: CheckStatus): Lowercase<CheckStatus> {
  return v.toLowerCase() as Lowercase<CheckStatus>
}

export function exitFor(verdict: CheckStatus): number {
  return EXIT[lower(verdict)]
}
