/**
 * `seat-tray users [--json]`: who holds the seats, pending invites marked and oldest first, with the suggestions
 * and the org's Users page in Zoho CRM. Read-only, as everything in Seat Tray. Names and emails go to stdout only
 * (the person asked for them); nothing is written but the access token cache `status` shares.
 */
import type { SeatHoldersView } from '../../common/model'
import { problem } from '../../common/problems'
import { SeatTrayError } from '../core/errors'
import { type Clock, type FetchLike, systemClock } from '../core/ports'
import { buildSeatHolders } from '../core/seat-holders'
import { singleLine } from '../core/text'
import { type CrmCall, fetchOrg, fetchUserLicenses } from '../core/zoho/crm'
import { USERS_SCOPE } from '../core/zoho/redirect'
import { fetchSeatHolderFacts } from '../core/zoho/users'
import { CLI_ACCOUNT, CliSession } from './cli-session'
import { type Env, parseOptions, readZohoConfig, wholeNumber, type ZohoConfig } from './config'
import { cliSentence } from './messages'
import { formatAskedFor, printFailure } from './output'
import { DEFAULT_TIMEOUT_S, VERSION_LINE } from './status'
import { defaultCacheDir } from './token-cache'
import { EXIT, UsageError } from './usage'

export interface UsersIo {
  env: Env
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  fetch?: FetchLike
  clock?: Clock
}

export const USERS_HELP = `Usage: seat-tray users [--json] [--stale-days N] [-t SECONDS] [--token-cache DIR | --no-token-cache]

Lists who holds the org's Zoho CRM seats: pending invites (sent, never accepted) first, oldest first, then everyone
else by profile and role; suggests which seats could be freed and links to the org's Users page in Zoho CRM, where
an admin frees them. Seat Tray itself changes nothing in Zoho.
Needs a refresh token with ${USERS_SCOPE} as well as the scopes status needs. About 5 API credits a run.
Exit 0 when listed, 3 (UNKNOWN) when it could not be.

      --json            One JSON object.
      --stale-days N    Suggest pending invites older than N days (default 7; Zoho's invitations expire after 7).
  -t, --timeout SECONDS The whole run's budget (default ${DEFAULT_TIMEOUT_S}).
      --token-cache DIR, --no-token-cache   As for seat-tray status (the same cache).
  -h, --help            Prints this help.

Environment: as for seat-tray status (ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ZOHO_ACCOUNTS_SERVER …).
`

const OPTIONS = {
  json: { type: 'boolean' },
  'stale-days': { type: 'string' },
  timeout: { type: 'string', short: 't' },
  'token-cache': { type: 'string' },
  'no-token-cache': { type: 'boolean' },
  version: { type: 'boolean', short: 'V' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The sentence for a refresh token made without the users scope: what to do, not an alarm. */
export const USERS_SCOPE_SENTENCE = `The refresh token may not see who holds seats. Make a new one with the scopes ZohoCRM.features.READ,ZohoCRM.org.READ,${USERS_SCOPE} (seat-tray status keeps working with the old one).`

export async function runUsers(args: readonly string[], io: UsersIo): Promise<number> {
  const asked = formatAskedFor(args) === 'json' ? 'json' : 'plugin'
  let config: ZohoConfig
  let options: { json: boolean; staleDays: number; timeoutMs: number; cacheDir: string | null }
  try {
    const { values } = parseOptions(args, OPTIONS)
    if (values.help || values.version) {
      io.stdout.write(values.help ? USERS_HELP : VERSION_LINE)
      return EXIT.ok
    }
    if (values['no-token-cache'] && values['token-cache']) {
      throw new UsageError('--token-cache and --no-token-cache contradict each other: give one of them')
    }
    options = {
      json: values.json === true,
      staleDays: wholeNumber(values['stale-days'], '--stale-days', 7, { min: 0, max: 3650 }),
      timeoutMs: wholeNumber(values.timeout, '-t', DEFAULT_TIMEOUT_S, { min: 1, max: 3600 }) * 1000,
      cacheDir: values['no-token-cache'] ? null : (values['token-cache'] ?? defaultCacheDir(io.env)),
    }
    config = readZohoConfig(io.env)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    return printFailure(asked, { kind: 'usage', sentence: error.message }, null, io)
  }
  const format = options.json ? 'json' : 'plugin'
  const budget = AbortSignal.timeout(options.timeoutMs)
  const base: FetchLike = io.fetch ?? ((url, init) => fetch(url, init))
  let crmRequests = 0
  const inBudget: FetchLike = (url, init) => {
    // Counted here, where every request passes: the API credits this look cost.
    if (String(url).includes('/crm/')) crmRequests++
    return base(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, budget]) : budget })
  }
  try {
    const view = await look(config, options, { fetch: inBudget, clock: io.clock ?? systemClock })
    const found = { ...view, requests: crmRequests }
    io.stdout.write(options.json ? `${JSON.stringify(asJson(found))}\n` : asText(found))
    return EXIT.ok
  } catch (error) {
    const p =
      error instanceof SeatTrayError
        ? error.problem
        : problem('bad-response', { detail: error instanceof Error ? error.name : 'unexpected error' })
    const sentence = p.kind === 'scope-missing' ? USERS_SCOPE_SENTENCE : cliSentence(p)
    return printFailure(format, { kind: p.kind, sentence }, config.accountsServer, io)
  }
}

interface Look {
  org: string
  view: SeatHoldersView
}

/** One look: seats (to tell whether invites count), the org (its name and Users page), then the seat holders. */
async function look(
  config: ZohoConfig,
  options: { staleDays: number; timeoutMs: number; cacheDir: string | null },
  deps: { fetch: FetchLike; clock: Clock },
): Promise<Look> {
  const { clock } = deps
  const zoho = await CliSession.open(config, options, deps)
  const session = zoho.session
  await zoho.warm()
  const http = { fetch: deps.fetch, clock, timeoutMs: options.timeoutMs }
  const withToken = <T>(fn: (call: CrmCall) => Promise<T>) => zoho.withToken(fn)
  const snapshot = await withToken((call) => fetchUserLicenses(http, call))
  const org = await withToken((call) => fetchOrg(http, call)).catch(() => null)
  const facts = await withToken((call) => fetchSeatHolderFacts(http, call))
  const apiDomain = config.apiDomain ?? session.apiDomain
  const view = buildSeatHolders({
    accountId: CLI_ACCOUNT,
    facts,
    snapshot,
    org,
    apiDomain,
    now: clock.now(),
    staleInviteDays: options.staleDays,
  })
  return { org: org?.name ?? 'the org', view }
}

function asJson(l: Look & { requests: number }) {
  const { view } = l
  return {
    status: 'OK',
    org: l.org,
    checkedAt: new Date(view.fetchedAt).toISOString(),
    pendingInvites: view.pendingInvites,
    pendingCounting: view.pendingCounting,
    pendingCountingText: view.pendingCountingText,
    deactivatedUsers: view.deactivatedUsers,
    suggestions: view.suggestions,
    usersPageUrl: view.usersPageUrl,
    truncated: view.truncated,
    requests: l.requests,
    holders: view.holders.map((h) => ({
      name: h.name,
      email: h.email,
      state: h.state,
      pendingDays: h.pendingDays,
      role: h.role,
      profile: h.profile,
      createdAt: h.createdAt === null ? null : new Date(h.createdAt).toISOString(),
      zohoUrl: h.zohoUrl,
    })),
  }
}

/** One line per holder; text from Zoho is made single-line so a crafted name cannot fake extra rows. */
function asText({ org, view, requests }: Look & { requests: number }): string {
  const clean = (s: string | null) => singleLine(s ?? '–', 120)
  const suggested = new Set(view.suggestions.map((s) => s.holderId))
  const lines = [
    `${clean(org)}: ${view.holders.length} active users, ${view.pendingInvites} pending ${view.pendingInvites === 1 ? 'invite' : 'invites'}, ${view.deactivatedUsers} deactivated.`,
    view.pendingCountingText,
    '',
  ]
  for (const h of view.holders) {
    const mark = h.state === 'pending' ? `PENDING ${h.pendingDays ?? '?'}d` : ''
    const hint = suggested.has(h.id) ? '  ← could be freed' : ''
    lines.push(
      `${mark.padEnd(12)} ${clean(h.name)} <${clean(h.email)}>  ${clean(h.role)} / ${clean(h.profile)}${hint}`,
    )
  }
  if (view.truncated) lines.push('(More users than Seat Tray reads: the list stops at 10,000.)')
  lines.push('')
  for (const s of view.suggestions) lines.push(`Suggestion: ${s.text}`)
  lines.push(`Free seats in Zoho CRM: ${view.usersPageUrl}`)
  lines.push(`This look cost ${requests} API credits.`)
  return `${lines.join('\n')}\n`
}
