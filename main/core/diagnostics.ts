/**
 * What a person can paste into a support request ("Copy diagnostics"), and the journal of what the engine told
 * them (problems and notices) that feeds both that report and the log file.
 *
 * The report is plain text, built from facts handed in (versions, OS, the app state, settings, the update state),
 * and passes as a whole through the Redactor before anyone sees it: no secret can be in it, whatever a problem's
 * detail or a setting happens to hold. Accounts are named by position and data center, not by org name or id.
 */
import type { AppState } from '../../common/model'
import { REDACTED, type Redactor } from './redact'
import type { UpdateView } from './updates'

/** What the engine said, when: a problem that appeared or changed, a notice that appeared. */
export interface JournalEntry {
  at: number
  text: string
}

/** How many entries the report carries: enough to see a pattern, short enough to read. */
export const JOURNAL_SIZE = 20

/**
 * Watches the states the engine publishes and writes down what changed for the person: each account's problem
 * when it appears or changes (and when it clears), a failed sign-in, each new notice. Returns the new lines so the
 * caller can log them; keeps the last JOURNAL_SIZE for the report.
 */
export class ProblemJournal {
  private readonly entries: JournalEntry[] = []
  private problems = new Map<string, string>()
  private notices = new Set<string>()

  observe(state: AppState, now: number): string[] {
    const lines: string[] = []
    const seen = new Map<string, string>()
    state.accounts.forEach((account, index) => {
      const who = `account ${index + 1} (${account.dataCenter})`
      const key = account.id
      const problem = account.problem ? `${account.problem.kind}: ${account.problem.message}` : null
      const before = this.problems.get(key)
      if (problem) {
        seen.set(key, problem)
        if (before !== problem) {
          const detail = account.problem?.detail ? ` (${account.problem.detail})` : ''
          lines.push(`${who}: ${problem}${detail}`)
        }
      } else if (before) {
        lines.push(`${who}: recovered`)
      }
    })
    const signIn = state.signInProblem ? `${state.signInProblem.kind}: ${state.signInProblem.message}` : null
    const signInBefore = this.problems.get('sign-in')
    if (signIn) {
      seen.set('sign-in', signIn)
      if (signInBefore !== signIn) lines.push(`sign-in: ${signIn}`)
    }
    this.problems = seen
    const notices = new Set(state.notices)
    for (const notice of notices) if (!this.notices.has(notice)) lines.push(`notice: ${notice}`)
    this.notices = notices

    for (const text of lines) this.entries.push({ at: now, text })
    if (this.entries.length > JOURNAL_SIZE) this.entries.splice(0, this.entries.length - JOURNAL_SIZE)
    return lines
  }

  recent(): readonly JournalEntry[] {
    return this.entries
  }
}

export interface DiagnosticsInput {
  now: number
  appVersion: string
  /** process.versions in the app: electron, chrome, node, v8 (only node in plain Node). */
  versions: Readonly<Record<string, string | undefined>>
  os: { platform: string; release: string; arch: string; version?: string }
  install: string
  dataDir: string
  logFile: string | null
  state: AppState
  settings: object
  vaultBackend: string
  updates: UpdateView | null
  journal: readonly JournalEntry[]
}

export function diagnosticsReport(input: DiagnosticsInput, redactor: Redactor): string {
  const when = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : 'never')
  const v = input.versions
  const lines: string[] = [
    `Seat Tray diagnostics, ${when(input.now)}`,
    '',
    `Seat Tray ${input.appVersion} (${input.install})`,
    `Electron ${v.electron ?? 'none'} · Chromium ${v.chrome ?? 'none'} · Node ${v.node ?? 'unknown'}`,
    `OS: ${input.os.platform} ${input.os.release} ${input.os.arch}${input.os.version ? ` (${input.os.version})` : ''}`,
    `Data folder: ${input.dataDir}`,
    `Log file: ${input.logFile ?? 'none'}`,
    `Secrets kept in: ${input.vaultBackend}`,
    `Online: ${input.state.online ? 'yes' : 'no'} · Demo: ${input.state.demo ? 'yes' : 'no'} · Zoho client configured: ${input.state.clientConfigured ? 'yes' : 'no'}`,
    `Updates: ${updatesLine(input.updates, when)}`,
    '',
    `Accounts (${input.state.accounts.length})`,
  ]
  input.state.accounts.forEach((account, index) => {
    const seats = account.latest
      ? `${account.latest.available} of ${account.latest.purchased} free (${account.latest.active} active)`
      : 'no reading yet'
    lines.push(
      `  ${index + 1}. ${account.dataCenter} · ${account.phase} · ${account.tone} · ${seats} · last good check ${when(account.lastGoodAt)} · ${Math.round(account.callsPerDay)} Zoho calls/day`,
    )
    if (account.problem) {
      const detail = account.problem.detail ? ` (${account.problem.detail})` : ''
      lines.push(`     problem: ${account.problem.kind}: ${account.problem.message}${detail}`)
    }
  })
  if (input.state.signInProblem) {
    lines.push(`  sign-in: ${input.state.signInProblem.kind}: ${input.state.signInProblem.message}`)
  }
  lines.push('', `Last problems and notices (${input.journal.length}, newest last)`)
  if (input.journal.length === 0) lines.push('  none')
  for (const entry of input.journal) lines.push(`  ${when(entry.at)} ${entry.text}`)
  lines.push('', 'Settings (secrets left out)')
  for (const line of settingsLines(redactor.value(input.settings))) lines.push(`  ${line}`)
  // The last net: the whole text, whatever any part of it held.
  return `${redactor.text(lines.join('\n'))}\n`
}

function updatesLine(view: UpdateView | null, when: (ms: number | null) => string): string {
  if (!view) return 'not started'
  if (view.phase === 'off') return `off (${view.offReason}): ${view.line}`
  if (view.line) return `${view.phase}: ${view.line} (last checked ${when(view.lastCheckedAt)})`
  const failing = view.failures > 0 ? ` · ${view.failures} failed in a row, last: ${view.lastError}` : ''
  return `${view.phase} · last checked ${when(view.lastCheckedAt)} · next ${when(view.nextCheckAt)}${failing}`
}

/** Flat `path: value` lines; accounts are summarised above, so their records are counted, not listed. */
function settingsLines(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [`${prefix || 'value'}: ${JSON.stringify(value)}`]
  return Object.entries(value).flatMap(([key, item]) => {
    const path = prefix ? `${prefix}.${key}` : key
    if (key === 'accounts' && Array.isArray(item)) return [`${path}: ${item.length} saved`]
    if (item === REDACTED) return [`${path}: ${REDACTED}`]
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) return settingsLines(item, path)
    return [`${path}: ${JSON.stringify(item)}`]
  })
}
