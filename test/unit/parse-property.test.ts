import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SeatTrayError } from '../../main/core/errors'
import { parseOrg, parseTokenResponse, parseUserLicenses } from '../../main/core/zoho/parse'

const NOW = Date.UTC(2026, 0, 5, 9)

/** Any HTTP status a server might send, weighted toward the ones Zoho does send. */
const status = fc.oneof(
  { weight: 4, arbitrary: fc.constant(200) },
  { weight: 2, arbitrary: fc.constantFrom(204, 400, 401, 403, 404, 429, 500, 502, 503) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 599 }) },
)

/** Arbitrary JSON, plus near-misses of Zoho's real shapes so the parsers' deeper paths get exercised too. */
const anyJson = fc.jsonValue()
const count = fc.oneof(
  { weight: 4, arbitrary: fc.record({ total: fc.integer({ min: -5, max: 500 }) }) },
  { weight: 2, arbitrary: fc.record({ total: fc.integer(), edition_limit: fc.integer() }) },
  { weight: 1, arbitrary: fc.record({ total: fc.jsonValue() }) },
  { weight: 1, arbitrary: fc.jsonValue() },
)
const licenseBody = fc.record(
  {
    __features: fc.array(
      fc.record(
        {
          api_name: fc.oneof({ weight: 4, arbitrary: fc.constant('user_licenses') }, fc.jsonValue()),
          details: fc.oneof(
            {
              weight: 4,
              arbitrary: fc.record(
                { limits: count, limit: count, used_count: count, available_count: count },
                { requiredKeys: ['used_count'] },
              ),
            },
            fc.jsonValue(),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    info: fc.jsonValue(),
  },
  { requiredKeys: [] },
)
const tokenBody = fc.record(
  {
    access_token: fc.oneof(fc.string(), fc.jsonValue()),
    refresh_token: fc.oneof(fc.string(), fc.jsonValue()),
    api_domain: fc.oneof(fc.webUrl(), fc.jsonValue()),
    expires_in: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
    expires_in_sec: fc.oneof(fc.integer(), fc.jsonValue()),
    error: fc.oneof(fc.constantFrom('invalid_code', 'invalid_client', 'Access Denied'), fc.jsonValue()),
    status: fc.oneof(fc.constantFrom('failure', 'error'), fc.jsonValue()),
  },
  { requiredKeys: [] },
)
const orgBody = fc.record(
  {
    org: fc.array(
      fc.record(
        {
          id: fc.oneof(fc.string(), fc.integer(), fc.jsonValue()),
          company_name: fc.jsonValue(),
          license_details: fc.oneof(
            fc.record(
              {
                paid: fc.jsonValue(),
                paid_expiry: fc.oneof(
                  fc.string(),
                  fc.date().map((d) => (Number.isNaN(+d) ? 'x' : d.toISOString())),
                ),
                trial_expiry: fc.jsonValue(),
                users_license_purchased: fc.jsonValue(),
              },
              { requiredKeys: [] },
            ),
            fc.jsonValue(),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    code: fc.jsonValue(),
    status: fc.oneof(fc.constant('error'), fc.jsonValue()),
  },
  { requiredKeys: [] },
)
/** Bodies as http.ts hands them over: parsed JSON, the raw text of a non-JSON answer, or undefined when empty. */
const body = (shaped: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 6, arbitrary: shaped }, anyJson, fc.string(), fc.constant(undefined))

/** Runs the parser and insists that whatever it throws is a SeatTrayError; returns its value or undefined. */
function valueOrSeatTrayError<T>(parse: () => T): T | undefined {
  try {
    return parse()
  } catch (error) {
    if (!(error instanceof SeatTrayError)) throw new Error(`threw ${String(error)}, not a SeatTrayError`)
    return undefined
  }
}

describe('parsers never throw anything but a SeatTrayError, whatever Zoho sends', () => {
  it('the license parser, and any snapshot it returns has whole, non-negative seat counts', () => {
    let read = 0
    fc.assert(
      fc.property(status, body(licenseBody), (s, b) => {
        const snap = valueOrSeatTrayError(() => parseUserLicenses(s, b, NOW))
        if (!snap) return
        read++
        expect(Number.isInteger(snap.purchased) && snap.purchased >= 0).toBe(true)
        expect(Number.isInteger(snap.active) && snap.active >= 0).toBe(true)
        expect(Number.isInteger(snap.available)).toBe(true)
        expect(snap.mismatch).toBe(snap.available !== snap.purchased - snap.active)
      }),
      { numRuns: 1000 },
    )
    // The generators must reach the success path too, or the checks above prove nothing.
    expect(read).toBeGreaterThan(10)
  })

  it('the token parser, and any grant it returns has a token and an expiry in the future', () => {
    let read = 0
    fc.assert(
      fc.property(status, body(tokenBody), (s, b) => {
        const grant = valueOrSeatTrayError(() => parseTokenResponse(s, b, NOW))
        if (!grant) return
        read++
        expect(grant.accessToken.length).toBeGreaterThan(0)
        expect(grant.expiresAt).toBeGreaterThan(NOW)
      }),
      { numRuns: 1000 },
    )
    // The generators must reach the success path too, or the checks above prove nothing.
    expect(read).toBeGreaterThan(10)
  })

  it('the org parser, and any org it returns has a string id and a calendar date or null', () => {
    let read = 0
    fc.assert(
      fc.property(status, body(orgBody), (s, b) => {
        const org = valueOrSeatTrayError(() => parseOrg(s, b))
        if (!org) return
        read++
        expect(typeof org.id).toBe('string')
        for (const date of [org.paidExpiry, org.trialExpiry]) {
          expect(date === null || /^\d{4}-\d{2}-\d{2}$/.test(date)).toBe(true)
        }
      }),
      { numRuns: 1000 },
    )
    // The generators must reach the success path too, or the checks above prove nothing.
    expect(read).toBeGreaterThan(10)
  })
})
