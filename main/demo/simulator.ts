/**
 * A Zoho stand-in that speaks real HTTP on 127.0.0.1: Accounts (authorize, consent, token, revoke) and the two CRM
 * calls Seat Tray makes. Demo mode and every integration test talk to it exactly as they would talk to Zoho, so its
 * answers follow ../shared/reference/zoho-api.md and Zoho's OpenAPI files, quirks included (token errors as HTTP 200).
 *
 * Nothing here logs; recorded requests keep the method and path only, never a query string, a token or a secret.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Clock, systemClock } from '../core/ports'
import { REDIRECT_URI, SCOPES } from '../core/zoho/redirect'
import { SimAccounts, type SimClient, type SimDc, THROTTLED_BODY, type TokenAnswer } from './accounts'
import { consentPage, errorPage } from './consent-page'
import {
  CRM_ERRORS,
  type CrmError,
  crmError,
  defaultOrg,
  hasReadScope,
  orgBody,
  REQUIRED_SCOPE,
  type SimOrg,
  userLicensesBody,
} from './crm'
import { pendingInvitesSentAt, type ScenarioName, type SeatSetting, seatsAt } from './scenarios'
import {
  DEFAULT_PEOPLE,
  ofType,
  peopleAsOf,
  peopleAt,
  SIM_USER_TYPES,
  type SimPeople,
  type SimPeopleAt,
  type SimUserType,
  USERS_MAX_PER_PAGE,
  usersPage,
} from './users'

export type { ScenarioName, SeatSetting } from './scenarios'

export interface Simulator {
  /** http://127.0.0.1:<port>: where sign-in starts and, outside 'second-dc', where tokens are asked for. */
  accountsServer: string
  /** Where CRM calls go; the same origin as the accounts server. */
  apiDomain: string
  client: SimClient
  /** Pre-minted with both scopes (for the org's home DC), so the CLI and tests can skip the browser. */
  refreshToken: string
  /** Only in 'second-dc': the EU data center, where that org's tokens live. */
  secondDc?: { accountsServer: string; apiDomain: string }
  control: SimulatorControl
  close(): Promise<void>
}

export interface SimulatorControl {
  /** Pins the seat counts (until `followScenarioSeats`). `available` only to make Zoho disagree with itself. */
  setSeats(seats: SeatSetting): void
  /** Lets the scenario drive the seats again. */
  followScenarioSeats(): void
  /** What `user_licenses` would say right now. */
  seats(): { purchased: number; active: number; available: number }
  /** Switches scenario and restarts its timeline; 'revoked' revokes every token at once. */
  setScenario(name: ScenarioName): void
  scenario(): ScenarioName
  /** Revokes every refresh and access token, like "revoke all" in Zoho's account page. */
  revokeAll(): void
  /** Refuses every token request with Zoho's "too many requests" answer. */
  throttleTokens(on: boolean): void
  /** The next `n` requests to `target` fail this way, before any other rule. */
  failNext(n: number, kind: FailureKind, target?: FailureTarget): void
  /**
   * Who holds seats besides the confirmed users: pending invites (sent so many days before now; they age from
   * there), deactivated users, and whether used_count counts invites.
   */
  setPeople(patch: Partial<SimPeople>): void
  /** Changes the org's id (a second org, for tests of two), name or `license_details` (a paid period ending soon). */
  setOrg(patch: { id?: string; companyName?: string; license?: Partial<SimOrg['license']> }): void
  /** A fresh refresh token, as if someone signed in again. */
  mintRefreshToken(scopes?: readonly string[]): string
  /** Every request seen, oldest first (the last 1000). */
  requests(): RecordedRequest[]
  clearRequests(): void
  /** How many codes, consents and tokens are held, to prove nothing grows without end. */
  sizes(): ReturnType<SimAccounts['sizes']>
}

export type FailureKind =
  /** 500 INTERNAL_ERROR in Zoho's JSON shape */
  | 'server-error'
  /** 503 with an HTML page, as a load balancer sends */
  | 'unavailable'
  /** The connection is cut with no answer. */
  | 'drop'
  /** No answer at all until the simulator closes: for timeout tests. */
  | 'hang'
  /** 401 INVALID_TOKEN even for a good token (Zoho evicted it). */
  | 'invalid-token'
  /** 429 TOO_MANY_REQUESTS without Retry-After (Zoho documents none). */
  | 'rate-limited'
  /** HTTP 200 with a body that is not JSON. */
  | 'bad-json'
  /** 403 NO_PERMISSION: the person's Zoho profile may not read license counts. */
  | 'no-permission'

export type FailureTarget = 'crm' | 'token'

export interface RecordedRequest {
  method: string
  /** The path only: query strings can carry codes and tokens. */
  path: string
  at: number
  dc: SimDc
  /** 0 when the connection was dropped or left hanging. */
  status: number
  grantType?: string
}

export interface SimulatorOptions {
  port?: number
  scenario?: ScenarioName
  clock?: Clock
  redirectUris?: string[]
  client?: SimClient
  seats?: SeatSetting
}

export const DEFAULT_CLIENT_ID = '1000.SEATTRAYSIMULATOR00000000000'
const RATE_LIMIT_RETRY_AFTER_S = 30
const MAX_RECORDED = 1000
const MAX_BODY_BYTES = 64 * 1024

export async function startSimulator(o: SimulatorOptions = {}): Promise<Simulator> {
  const clock = o.clock ?? systemClock
  const client = o.client ?? { clientId: DEFAULT_CLIENT_ID, clientSecret: randomSecret() }
  const redirectUris = o.redirectUris ?? [REDIRECT_URI]

  const usServer = await listen(o.port ?? 0)
  const euServer = o.scenario === 'second-dc' ? await listen(0) : undefined
  const origins: Record<SimDc, string> = { us: originOf(usServer), eu: euServer ? originOf(euServer) : '' }
  const zoho = new SimulatedZoho(
    { clock, client, redirectUris, origins, secondDc: euServer !== undefined },
    o,
  )

  usServer.on('request', (req, res) => void zoho.handle('us', req, res).catch(() => failSafely(res)))
  euServer?.on('request', (req, res) => void zoho.handle('eu', req, res).catch(() => failSafely(res)))

  return {
    accountsServer: origins.us,
    apiDomain: origins.us,
    client,
    refreshToken: zoho.refreshToken,
    ...(euServer ? { secondDc: { accountsServer: origins.eu, apiDomain: origins.eu } } : {}),
    control: zoho.control(),
    close: async () => {
      await Promise.all([stop(usServer), euServer ? stop(euServer) : undefined])
    },
  }
}

interface SimSetup {
  clock: Clock
  client: SimClient
  redirectUris: readonly string[]
  origins: Record<SimDc, string>
  /** The 'second-dc' scenario's EU listener is there. */
  secondDc: boolean
}

/** What the simulated Zoho knows and can be made to do: scenario, seats, org, people, failures, requests seen. */
function newWorld(o: SimulatorOptions, now: number) {
  return {
    scenario: o.scenario ?? 'steady',
    scenarioStartedAt: now,
    pinnedSeats: o.seats as SeatSetting | undefined,
    tokensThrottled: false,
    failures: [] as { kind: FailureKind; target: FailureTarget }[],
    crmCalls: 0,
    org: defaultOrg(now),
    people: peopleAsOf(DEFAULT_PEOPLE, now) as SimPeopleAt,
    recorded: [] as RecordedRequest[],
  }
}

/** The simulated Zoho behind the listeners: its world, its accounts and tokens, and one method per route. */
class SimulatedZoho {
  readonly accounts: SimAccounts
  readonly world: ReturnType<typeof newWorld>
  readonly refreshToken: string

  constructor(
    private readonly c: SimSetup,
    o: SimulatorOptions,
  ) {
    this.accounts = new SimAccounts(c.client, c.origins)
    this.world = newWorld(o, c.clock.now())
    this.refreshToken = this.accounts.mintRefreshToken(this.homeDc(), [...SCOPES], c.clock.now())
    if (this.world.scenario === 'revoked') this.accounts.revokeAll()
  }

  /** In 'second-dc' the org lives in the EU: sign-in starting at the US server is sent on there, as at Zoho. */
  homeDc(): SimDc {
    return this.world.scenario === 'second-dc' && this.c.secondDc ? 'eu' : 'us'
  }

  currentSeats(): SeatSetting {
    return (
      this.world.pinnedSeats ??
      seatsAt(this.world.scenario, this.c.clock.now() - this.world.scenarioStartedAt)
    )
  }

  control(): SimulatorControl {
    return {
      setSeats: (seats) => {
        this.world.pinnedSeats = { ...seats }
      },
      followScenarioSeats: () => {
        this.world.pinnedSeats = undefined
      },
      seats: () => {
        const s = this.currentSeats()
        return {
          purchased: s.purchased,
          active: s.active,
          available: s.available ?? Math.max(0, s.purchased - s.active),
        }
      },
      setScenario: (name) => {
        if (name === 'second-dc' && !this.c.secondDc) {
          throw new Error("The 'second-dc' scenario needs a second listener: start the simulator with it.")
        }
        this.world.scenario = name
        this.world.scenarioStartedAt = this.c.clock.now()
        this.world.crmCalls = 0
        if (name === 'revoked') this.accounts.revokeAll()
      },
      scenario: () => this.world.scenario,
      revokeAll: () => this.accounts.revokeAll(),
      throttleTokens: (on) => {
        this.world.tokensThrottled = on
      },
      failNext: (n, kind, target = 'crm') => {
        for (let i = 0; i < n; i++) this.world.failures.push({ kind, target })
      },
      setPeople: (patch) => {
        const { pendingAgesDays, ...rest } = patch
        this.world.people = { ...this.world.people, ...rest }
        if (pendingAgesDays)
          this.world.people.pendingSentAt = peopleAsOf(
            { ...DEFAULT_PEOPLE, pendingAgesDays },
            this.c.clock.now(),
          ).pendingSentAt
      },
      setOrg: (patch) => {
        if (patch.id !== undefined) this.world.org.id = patch.id
        if (patch.companyName !== undefined) this.world.org.companyName = patch.companyName
        if (patch.license) this.world.org.license = { ...this.world.org.license, ...patch.license }
      },
      mintRefreshToken: (scopes = SCOPES) =>
        this.accounts.mintRefreshToken(this.homeDc(), [...scopes], this.c.clock.now()),
      requests: () => this.world.recorded.map((r) => ({ ...r })),
      clearRequests: () => {
        this.world.recorded.length = 0
      },
      sizes: () => this.accounts.sizes(this.c.clock.now()),
    }
  }

  async handle(dc: SimDc, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.c.origins[dc])
    const method = req.method ?? 'GET'
    const entry: RecordedRequest = { method, path: url.pathname, at: this.c.clock.now(), dc, status: 0 }
    this.world.recorded.push(entry)
    if (this.world.recorded.length > MAX_RECORDED) this.world.recorded.shift()
    const reply = replier(res, entry)

    const target = failureTarget(url.pathname)
    const injected = target ? takeFailure(this.world.failures, target) : undefined
    if (injected) return injectFailure(injected, req, res, reply)

    if (url.pathname === '/oauth/v2/auth' && method === 'GET') return this.authorize(dc, url, reply)
    if (url.pathname === '/oauth/v2/auth/consent' && method === 'POST') {
      return this.consent(await readForm(req), reply)
    }
    if (url.pathname === '/oauth/v2/token' || url.pathname === '/oauth/v2/token/revoke') {
      if (method !== 'POST') return reply.html(405, errorPage('Method not allowed', 'Use POST.'))
      const params = mergeParams(url.searchParams, await readForm(req))
      if (url.pathname === '/oauth/v2/token/revoke') {
        return reply.tokenAnswer(this.accounts.revoke(dc, params.get('token'), this.c.clock.now()))
      }
      entry.grantType = params.get('grant_type') ?? undefined
      if (this.world.scenario === 'throttled' || this.world.tokensThrottled)
        return reply.json(200, { ...THROTTLED_BODY })
      return reply.tokenAnswer(this.accounts.token(dc, params, this.c.clock.now()))
    }
    if (url.pathname.startsWith('/crm/')) return this.crm(dc, req, url, reply, res)
    return reply.html(404, errorPage('Not found', 'The Zoho simulator has nothing at this address.'))
  }

  private authorize(dc: SimDc, url: URL, reply: Replier) {
    const q = url.searchParams
    if (q.get('client_id') !== this.c.client.clientId) {
      return reply.html(400, errorPage('Invalid client', 'No client is registered with this client ID.'))
    }
    const redirectUri = q.get('redirect_uri') ?? ''
    // Zoho matches the redirect URI exactly and never redirects to one it does not know.
    if (!this.c.redirectUris.includes(redirectUri)) {
      return reply.html(
        400,
        errorPage('Invalid redirect URI', 'The redirect URI is not registered for this this.c.client.'),
      )
    }
    const state = q.get('state')
    const refuse = (error: string, description: string) =>
      reply.redirect(withParams(redirectUri, { error, error_description: description, state }))
    if (q.get('response_type') !== 'code')
      return refuse('unsupported_response_type', 'response_type must be code')
    const scopes = (q.get('scope') ?? '').split(',').filter((s) => s !== '')
    if (scopes.length === 0 || !scopes.every((s) => SCOPE_GRAMMAR.test(s))) {
      return refuse('invalid_scope', 'scope must be a comma-separated list such as ZohoCRM.features.READ')
    }
    const codeChallenge = q.get('code_challenge') ?? ''
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge) || q.get('code_challenge_method') !== 'S256') {
      return refuse('invalid_request', 'a code_challenge with code_challenge_method=S256 is required')
    }
    const pending = this.accounts.beginConsent(
      dc,
      {
        clientId: this.c.client.clientId,
        redirectUri,
        scopes,
        codeChallenge,
        state,
        offline: q.get('access_type') === 'offline',
      },
      this.c.clock.now(),
    )
    reply.html(200, consentPage({ consentId: pending.id, orgName: this.world.org.companyName, scopes }))
  }

  private consent(form: URLSearchParams, reply: Replier) {
    const accepted = form.get('decision') === 'accept'
    const finished = this.accounts.finishConsent(
      form.get('consent') ?? '',
      accepted,
      this.c.clock.now(),
      this.homeDc(),
    )
    if (!finished) {
      return reply.html(
        400,
        errorPage('Sign-in expired', 'This sign-in request expired or was used. Start again.'),
      )
    }
    const { consent: c, code } = finished
    if (!code) return reply.redirect(withParams(c.redirectUri, { error: 'access_denied', state: c.state }))
    const home = this.homeDc()
    reply.redirect(
      withParams(c.redirectUri, {
        state: c.state,
        code,
        location: home,
        'accounts-server': this.c.origins[home],
      }),
    )
  }

  private crm(dc: SimDc, req: IncomingMessage, url: URL, reply: Replier, res: ServerResponse) {
    const route = crmRoute(url)
    if (!route) return reply.crmError(CRM_ERRORS.invalidUrl())
    if (req.method !== 'GET') return reply.crmError(CRM_ERRORS.wrongMethod())
    const token = /^Zoho-oauthtoken (\S+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (!token) return reply.crmError(CRM_ERRORS.authenticationFailure())
    const holder = this.accounts.checkAccessToken(dc, token, this.c.clock.now())
    if (!holder.ok) return reply.crmError(CRM_ERRORS.invalidToken())

    this.world.crmCalls++
    if (this.world.scenario === 'rate-limited') {
      return reply.crmError(CRM_ERRORS.tooManyRequests(), { 'retry-after': String(RATE_LIMIT_RETRY_AFTER_S) })
    }
    // Every other call fails, alternating a 503 page with a cut connection.
    if (this.world.scenario === 'flaky' && this.world.crmCalls % 2 === 0) {
      if (this.world.crmCalls % 4 === 2)
        return reply.html(503, errorPage('Service Unavailable', 'Try again later.'))
      return dropConnection(req, res)
    }
    const granted =
      this.world.scenario === 'scope-mismatch'
        ? holder.scopes.filter((s) => !/^zohocrm\.features\./i.test(s))
        : this.world.scenario === 'no-users-scope'
          ? holder.scopes.filter((s) => !/^zohocrm\.users\./i.test(s))
          : holder.scopes
    const seats = this.currentSeats()
    if (route.resource === 'users' || route.resource === 'users-count') {
      if (!hasReadScope(granted, REQUIRED_SCOPE.users)) return reply.crmError(CRM_ERRORS.scopeMismatch())
      return this.users(route.resource, url, seats, reply)
    }
    if (route.resource === 'org') {
      if (!hasReadScope(granted, REQUIRED_SCOPE.org)) return reply.crmError(CRM_ERRORS.scopeMismatch())
      return reply.json(200, orgBody(this.world.org, seats))
    }
    if (!hasReadScope(granted, REQUIRED_SCOPE.features)) return reply.crmError(CRM_ERRORS.scopeMismatch())
    if (this.world.scenario === 'no-content') return reply.empty(204)
    reply.json(200, userLicensesBody(seats, route.resource === 'features-list'))
  }

  /** `users?type=&page=&per_page=` and `users/actions/count?type=`, as users.json describes them. */
  private users(resource: 'users' | 'users-count', url: URL, seats: SeatSetting, reply: Replier) {
    const q = url.searchParams
    const type = q.get('type') ?? 'AllUsers'
    if (!(SIM_USER_TYPES as readonly string[]).includes(type)) {
      return reply.crmError(crmError(400, 'INVALID_DATA', 'invalid data: type'))
    }
    const start = this.world.scenarioStartedAt
    const people =
      this.world.scenario === 'pending-invite'
        ? {
            ...this.world.people,
            pendingSentAt: pendingInvitesSentAt(this.c.clock.now() - start).map((t) => start + t),
          }
        : this.world.people
    const matching = ofType(peopleAt(seats, people, this.c.clock.now()), type as SimUserType)
    // users.json types the count as a string (Zoho's doc sample shows a number; the engine reads both).
    if (resource === 'users-count') return reply.json(200, { count: String(matching.length) })
    const page = q.has('page') ? Number(q.get('page')) : 1
    const perPage = q.has('per_page') ? Number(q.get('per_page')) : USERS_MAX_PER_PAGE
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1) {
      return reply.crmError(crmError(400, 'INVALID_DATA', 'invalid data: page or per_page'))
    }
    if (perPage > USERS_MAX_PER_PAGE) {
      return reply.crmError(crmError(400, 'INVALID_DATA', 'per_page must be at most 200'))
    }
    const body = usersPage(matching, page, perPage)
    return body === null ? reply.empty(204) : reply.json(200, body)
  }
}

/** `Service.scope.OPERATION`, the grammar of Zoho scopes. */
const SCOPE_GRAMMAR = /^[A-Za-z]+\.[A-Za-z_.]+\.(ALL|READ|CREATE|UPDATE|DELETE|\*)$/i

type CrmRoute = { resource: 'features' | 'features-list' | 'org' | 'users' | 'users-count' }

/** The CRM routes Seat Tray uses, in the API versions Zoho documents them for; anything else is INVALID_URL_PATTERN. */
function crmRoute(url: URL): CrmRoute | undefined {
  const m = /^\/crm\/v(\d+)\/(.+?)\/?$/.exec(url.pathname)
  if (!m) return undefined
  const version = Number(m[1])
  const rest = m[2]
  if (rest === 'org' && version >= 2 && version <= 8) return { resource: 'org' }
  if (rest === 'users' && version >= 2 && version <= 8) return { resource: 'users' }
  if (rest === 'users/actions/count' && version >= 2 && version <= 8) return { resource: 'users-count' }
  if (version < 6 || version > 8) return undefined
  if (rest === '__features/user_licenses') return { resource: 'features' }
  if (rest === '__features' && url.searchParams.get('api_names') === 'user_licenses') {
    return { resource: 'features-list' }
  }
  return undefined
}

function failureTarget(path: string): FailureTarget | undefined {
  if (path.startsWith('/crm/')) return 'crm'
  if (path === '/oauth/v2/token') return 'token'
  return undefined
}

function takeFailure(
  failures: { kind: FailureKind; target: FailureTarget }[],
  target: FailureTarget,
): FailureKind | undefined {
  const i = failures.findIndex((f) => f.target === target)
  if (i < 0) return undefined
  return failures.splice(i, 1)[0]!.kind
}

function injectFailure(kind: FailureKind, req: IncomingMessage, res: ServerResponse, reply: Replier) {
  switch (kind) {
    case 'server-error':
      return reply.crmError(CRM_ERRORS.internal())
    case 'unavailable':
      return reply.html(503, errorPage('Service Unavailable', 'Try again later.'))
    case 'drop':
      return dropConnection(req, res)
    case 'hang':
      // Left open on purpose; close() cuts it.
      return
    case 'invalid-token':
      return reply.crmError(CRM_ERRORS.invalidToken())
    case 'rate-limited':
      return reply.crmError(CRM_ERRORS.tooManyRequests())
    case 'no-permission':
      return reply.crmError(CRM_ERRORS.noPermission())
    case 'bad-json':
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' })
      res.end('{"__features": [')
      reply.entry.status = 200
  }
}

interface Replier {
  entry: RecordedRequest
  json(status: number, body: unknown, headers?: Record<string, string>): void
  crmError(error: CrmError, headers?: Record<string, string>): void
  tokenAnswer(answer: TokenAnswer): void
  html(status: number, page: string): void
  redirect(location: string): void
  empty(status: number): void
}

function replier(res: ServerResponse, entry: RecordedRequest): Replier {
  const send = (status: number, headers: Record<string, string>, body?: string) => {
    entry.status = status
    res.writeHead(status, { 'cache-control': 'no-store', ...headers })
    res.end(body)
  }
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    send(status, { 'content-type': 'application/json;charset=UTF-8', ...headers }, JSON.stringify(body))
  return {
    entry,
    json,
    crmError: (error, headers) => json(error.status, error.body, headers),
    tokenAnswer: (answer) => json(answer.status, answer.body),
    html: (status, page) =>
      send(
        status,
        {
          'content-type': 'text/html;charset=UTF-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          'x-frame-options': 'DENY',
        },
        page,
      ),
    redirect: (location) => send(302, { location }),
    empty: (status) => send(status, {}),
  }
}

function dropConnection(req: IncomingMessage, res: ServerResponse): void {
  res.socket?.destroy()
  req.socket.destroy()
}

function failSafely(res: ServerResponse): void {
  if (res.headersSent) res.socket?.destroy()
  else {
    res.writeHead(500, { 'content-type': 'text/plain' })
    res.end('simulator error')
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

/** Zoho's docs put token parameters in the query string, its SDK in the form body: take both, body first. */
function mergeParams(query: URLSearchParams, body: URLSearchParams): URLSearchParams {
  const merged = new URLSearchParams(query)
  for (const [k, v] of body) merged.set(k, v)
  return merged
}

function withParams(base: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(base)
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve(server)
    })
  })
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    // Keep-alive sockets and deliberately hung requests would otherwise hold close() open.
    server.closeAllConnections()
  })
}

function originOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function randomSecret(): string {
  return randomBytes(16).toString('hex')
}
