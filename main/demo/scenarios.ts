/**
 * What the simulated Zoho org does over time. Seats are a pure function of how long the scenario has run on the
 * injected clock, so tests move through "the last seat is taken" by advancing virtual time, not by waiting.
 */

export type ScenarioName =
  | 'steady'
  | 'filling'
  | 'freed'
  | 'flaky'
  | 'revoked'
  | 'throttled'
  | 'rate-limited'
  | 'scope-mismatch'
  | 'no-content'
  | 'second-dc'
  | 'demo'
  | 'pending-invite'
  | 'no-users-scope'

export const SCENARIOS: readonly ScenarioName[] = [
  'steady',
  'filling',
  'freed',
  'flaky',
  'revoked',
  'throttled',
  'rate-limited',
  'scope-mismatch',
  'no-content',
  'second-dc',
  'demo',
  'pending-invite',
  'no-users-scope',
]

/** One sentence per scenario, for `seat-tray simulate --help` and the demo menu. */
export const SCENARIO_DESCRIPTIONS: Record<ScenarioName, string> = {
  steady: '25 seats purchased, 20 active.',
  filling: 'One more seat is taken every minute until none are free.',
  freed: 'Starts with every seat taken, then frees one a minute until 5 are free.',
  flaky: 'Every other CRM call fails: a 503, then a dropped connection.',
  revoked: 'The refresh token was revoked: Zoho answers invalid_code.',
  throttled: 'Zoho refuses new access tokens (too many requests).',
  'rate-limited': 'CRM calls get HTTP 429 with Retry-After: 30.',
  'scope-mismatch': 'The sign-in lacks ZohoCRM.features.READ: OAUTH_SCOPE_MISMATCH.',
  'no-content': 'The licence call answers 204 with no body.',
  'second-dc': 'The org lives in the EU data center, on a second listener.',
  demo: 'A six-minute loop: plenty free, one left, none left, seats freed.',
  'pending-invite':
    'One seat left and an invite unanswered for 10 days; a minute later the last seat goes to a new invite.',
  'no-users-scope': 'A sign-in from before ZohoCRM.users.READ: the users calls answer OAUTH_SCOPE_MISMATCH.',
}

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(name)
}

/** What Zoho reports; `available` is only set when a test wants it to disagree with purchased − active. */
export interface SeatSetting {
  purchased: number
  active: number
  available?: number
}

export const STEADY_SEATS = { purchased: 25, active: 20 } as const

const MINUTE = 60_000

/** The demo loop: each phase lasts 90 s so a poller at its fastest still sees every tray tone. */
export const DEMO_PHASE_MS = 90_000
export const DEMO_PHASES: readonly { tone: 'ok' | 'low' | 'out' | 'freed'; active: number }[] = [
  { tone: 'ok', active: 20 },
  { tone: 'low', active: 24 },
  { tone: 'out', active: 25 },
  { tone: 'freed', active: 22 },
]

/** Seats of a scenario `elapsedMs` after it started. Scenarios about failures keep the steady counts. */
export function seatsAt(scenario: ScenarioName, elapsedMs: number): SeatSetting {
  const { purchased, active } = STEADY_SEATS
  const minutes = Math.floor(Math.max(0, elapsedMs) / MINUTE)
  switch (scenario) {
    case 'filling':
      return { purchased, active: Math.min(purchased, active + minutes) }
    case 'freed':
      // Two full minutes first, so a watcher sees "out" before the seats come back.
      return { purchased, active: Math.max(active, purchased - Math.max(0, minutes - 1)) }
    case 'pending-invite':
      return { purchased, active: minutes >= 1 ? purchased : purchased - 1 }
    case 'demo': {
      const phase = Math.floor(Math.max(0, elapsedMs) / DEMO_PHASE_MS) % DEMO_PHASES.length
      return { purchased, active: DEMO_PHASES[phase]!.active }
    }
    default:
      return { purchased, active }
  }
}

/**
 * When the invites unanswered in 'pending-invite' were sent, relative to the scenario's start: one 10 days before,
 * then (after a minute) a new one that takes the last seat.
 */
export function pendingInvitesSentAt(elapsedMs: number): number[] {
  const tenDaysBefore = -10 * 24 * 60 * MINUTE
  return elapsedMs >= MINUTE ? [tenDaysBefore, MINUTE] : [tenDaysBefore]
}
