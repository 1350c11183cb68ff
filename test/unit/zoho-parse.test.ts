import { describe, expect, it } from 'vitest'
import { needsPerson } from '../../common/problems'
import {
  parseOrg,
  parseTokenResponse,
  parseUserLicenses,
  TOKEN_THROTTLE_MS,
  TokenRejectedError,
} from '../../main/core/zoho/parse'
import { problemOf } from '../helpers/problems'

const NOW = Date.UTC(2026, 0, 5, 9)

/** Zoho's documented sample for GET /crm/v7/__features/user_licenses (3 free of 10). */
function licenses(details: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    __features: [
      {
        api_name: 'user_licenses',
        feature_label: 'Lizenzen', // localized: never keyed on
        module_supported: false,
        parent_feature: null,
        components: null,
        details,
        ...extra,
      },
    ],
  }
}

const SAMPLE_DETAILS = {
  available_count: { total: 3 },
  used_count: { total: 7 },
  limits: { total: 10 },
}

describe('reading the license counts', () => {
  it('reads purchased, active and available from Zoho’s sample answer', () => {
    expect(parseUserLicenses(200, licenses(SAMPLE_DETAILS), NOW)).toEqual({
      purchased: 10,
      active: 7,
      available: 3,
      at: NOW,
      mismatch: false,
    })
  })

  it('accepts the full OpenAPI shape: edition_limit, a parent feature, components, the info block', () => {
    const details = {
      available_count: { total: 5, edition_limit: 0 },
      used_count: { total: 20, edition_limit: 0 },
      limits: { total: 25, edition_limit: 100 },
    }
    const body = {
      ...licenses(details, {
        parent_feature: {
          api_name: 'crm',
          feature_label: 'CRM',
          module_supported: false,
          details,
          components: [],
        },
        components: [{ api_name: 'x', feature_label: 'X', module_supported: true, details }],
      }),
      info: { per_page: 200, count: 1, page: 1, more_records: false },
    }
    expect(parseUserLicenses(200, body, NOW)).toMatchObject({ purchased: 25, active: 20, available: 5 })
  })

  it('reads the singular `limit` the doc prose names when `limits` is absent', () => {
    const { limits, ...rest } = SAMPLE_DETAILS
    expect(parseUserLicenses(200, licenses({ ...rest, limit: limits }), NOW).purchased).toBe(10)
  })

  it('finds user_licenses by api_name among other features', () => {
    const body = {
      __features: [
        { api_name: 'data_enrichment', details: { limits: { total: 1 } } },
        ...licenses(SAMPLE_DETAILS).__features,
      ],
    }
    expect(parseUserLicenses(200, body, NOW).available).toBe(3)
  })

  it('keeps Zoho’s available count and flags it when it disagrees with purchased − active', () => {
    const snapshot = parseUserLicenses(
      200,
      licenses({ ...SAMPLE_DETAILS, available_count: { total: 2 } }),
      NOW,
    )
    expect(snapshot).toMatchObject({ available: 2, mismatch: true })
  })

  it('says there is no license data on Zoho’s HTTP 204 or no user_licenses feature, and retries', () => {
    expect(problemOf(() => parseUserLicenses(204, undefined, NOW)).kind).toBe('no-license-data')
    expect(problemOf(() => parseUserLicenses(200, { __features: [] }, NOW)).kind).toBe('no-license-data')
    expect(needsPerson(problemOf(() => parseUserLicenses(204, undefined, NOW)))).toBe(false)
  })

  it('does not take an empty 200 for Zoho’s answer: something else answered, and it is retried', () => {
    const p = problemOf(() => parseUserLicenses(200, undefined, NOW))
    expect(p).toMatchObject({ kind: 'not-zoho', detail: 'empty answer (HTTP 200)' })
    expect(needsPerson(p)).toBe(false)
  })

  it('takes a 403 or 404 for a person’s problem only when it carries Zoho’s own JSON error code', () => {
    for (const [status, body] of [
      [403, '<html>Access denied by policy</html>'],
      [404, '<html>Not found</html>'],
      [403, undefined],
      [401, '<html>Proxy sign-in</html>'],
    ] as const) {
      const p = problemOf(() => parseUserLicenses(status, body, NOW))
      expect(p.kind, `${status} ${body}`).toBe('not-zoho')
      expect(needsPerson(p), `${status} ${body}`).toBe(false)
    }
    const notZohos = problemOf(() => parseUserLicenses(404, { message: 'nope' }, NOW))
    expect(notZohos.kind).toBe('bad-response')
    expect(needsPerson(notZohos)).toBe(false)
    const zohos = { code: 'NO_PERMISSION', details: {}, message: 'permission denied', status: 'error' }
    expect(needsPerson(problemOf(() => parseUserLicenses(403, zohos, NOW)))).toBe(true)
  })

  it('says a web page in place of Zoho’s answer came from something else, not from Zoho', () => {
    for (const parse of [
      () => parseUserLicenses(200, '<html>Sign in to the hotel Wi-Fi</html>', NOW),
      () => parseOrg(200, '  <!doctype html><p>proxy'),
    ]) {
      const p = problemOf(parse)
      expect(p).toMatchObject({ kind: 'not-zoho', detail: 'HTTP 200, a web page' })
      expect(p.message).not.toMatch(/^Zoho sent/)
    }
  })

  it('says invalid JSON is invalid JSON, not a missing field', () => {
    expect(problemOf(() => parseUserLicenses(200, '{"__features": [', NOW))).toMatchObject({
      kind: 'bad-response',
      detail: 'HTTP 200, not valid JSON',
    })
    expect(problemOf(() => parseOrg(200, '{"org": [{"id"'))).toMatchObject({
      detail: 'HTTP 200, not valid JSON',
    })
  })

  it('calls malformed answers bad responses', () => {
    expect(problemOf(() => parseUserLicenses(200, { data: [] }, NOW)).kind).toBe('bad-response')
    const stringCounts = { ...SAMPLE_DETAILS, used_count: { total: '7' } }
    expect(problemOf(() => parseUserLicenses(200, licenses(stringCounts), NOW)).kind).toBe('bad-response')
  })

  it('asks for a refresh when Zoho rejects the access token, either way Zoho says it', () => {
    for (const code of ['INVALID_TOKEN', 'AUTHENTICATION_FAILURE']) {
      const body = { code, details: {}, message: 'invalid oauth token', status: 'error' }
      expect(() => parseUserLicenses(401, body, NOW)).toThrow(TokenRejectedError)
    }
  })

  it('maps each CRM error code to the problem a person can act on', () => {
    const cases = {
      OAUTH_SCOPE_MISMATCH: [401, 'scope-missing'],
      INVALID_URL_PATTERN: [404, 'not-found'],
      NO_PERMISSION: [403, 'no-permission'],
      INVALID_MODULE: [400, 'bad-response'],
    } as const
    for (const [code, [status, kind]] of Object.entries(cases)) {
      const body = { code, details: {}, message: 'm', status: 'error' }
      expect(
        problemOf(() => parseUserLicenses(status, body, NOW)),
        code,
      ).toMatchObject({ kind, detail: code })
    }
  })

  it('maps bare HTTP failures: 429 rate-limited, 5xx server error', () => {
    expect(problemOf(() => parseUserLicenses(429, undefined, NOW)).kind).toBe('rate-limited')
    expect(problemOf(() => parseUserLicenses(503, '<html>', NOW)).kind).toBe('server-error')
  })
})

describe('reading a token answer', () => {
  it('reads a code grant: tokens, api domain, expiry in seconds', () => {
    const body = {
      access_token: '1000.a',
      refresh_token: '1000.r',
      api_domain: 'https://www.zohoapis.eu',
      token_type: 'Bearer',
      expires_in: 3600,
    }
    expect(parseTokenResponse(200, body, NOW)).toEqual({
      accessToken: '1000.a',
      refreshToken: '1000.r',
      apiDomain: 'https://www.zohoapis.eu',
      expiresAt: NOW + 3_600_000,
    })
  })

  it('reads expires_in as milliseconds in legacy answers that carry expires_in_sec', () => {
    const grant = parseTokenResponse(
      200,
      { access_token: 'a', expires_in: 3_600_000, expires_in_sec: 3600 },
      NOW,
    )
    expect(grant.expiresAt).toBe(NOW + 3_600_000)
  })

  it('treats a refresh answer without refresh token or api domain as a grant with those left blank', () => {
    expect(parseTokenResponse(200, { access_token: 'a', expires_in: 60 }, NOW)).toEqual({
      accessToken: 'a',
      refreshToken: null,
      apiDomain: '',
      expiresAt: NOW + 60_000,
    })
  })

  it('sees errors sent with HTTP 200', () => {
    expect(problemOf(() => parseTokenResponse(200, { error: 'invalid_code' }, NOW)).kind).toBe(
      'reauth-needed',
    )
    expect(problemOf(() => parseTokenResponse(200, { error: 'invalid_client' }, NOW)).kind).toBe(
      'invalid-client',
    )
    expect(problemOf(() => parseTokenResponse(200, { error: 'invalid_client_secret' }, NOW)).kind).toBe(
      'invalid-client',
    )
  })

  it('recognises the throttle by its status, in any language, and asks to wait at least ten minutes', () => {
    for (const body of [
      { error: 'Access Denied', status: 'failure', error_description: 'You have made too many requests…' },
      { error: '拒绝访问', status: 'failure', error_description: '您连续发出的请求太多' },
    ]) {
      for (const status of [200, 400]) {
        const p = problemOf(() => parseTokenResponse(status, body, NOW))
        expect(p.kind).toBe('token-throttled')
        expect(p.retryAfterMs).toBeGreaterThanOrEqual(10 * 60_000)
        expect(p.retryAfterMs).toBe(TOKEN_THROTTLE_MS)
      }
    }
  })

  it('treats an empty access token as a failure, not a grant', () => {
    expect(problemOf(() => parseTokenResponse(200, { access_token: '' }, NOW)).kind).toBe('token-throttled')
  })

  it('calls a 5xx a server error and a non-JSON answer a bad response', () => {
    expect(problemOf(() => parseTokenResponse(502, '<html>', NOW)).kind).toBe('server-error')
    expect(problemOf(() => parseTokenResponse(200, 'not json', NOW)).kind).toBe('bad-response')
  })
})

describe('reading the org', () => {
  const org = {
    id: '4150868000000225013',
    company_name: 'Zylker Travels',
    domain_name: 'zylker',
    type: 'production',
    photo_id: null,
    license_details: {
      paid_expiry: '2026-03-31T00:00:00+05:30',
      users_license_purchased: 25,
      trial_type: null,
      trial_expiry: null,
      paid: true,
      paid_type: 'enterprise',
      trial_action: '',
    },
  }

  it('reads the name, renewal date and licenses purchased', () => {
    expect(parseOrg(200, { org: [org] })).toEqual({
      id: '4150868000000225013',
      name: 'Zylker Travels',
      paidExpiry: '2026-03-31',
      trialExpiry: null,
      paid: true,
      licensesPurchased: 25,
    })
  })

  it('keeps the org when license details are missing or odd', () => {
    const odd = { ...org, license_details: { paid: 'yes', paid_expiry: 12, users_license_purchased: -1 } }
    expect(parseOrg(200, { org: [odd] })).toMatchObject({
      name: 'Zylker Travels',
      paid: null,
      paidExpiry: null,
    })
    const { license_details: _, ...bare } = org
    expect(parseOrg(200, { org: [bare] }).licensesPurchased).toBeNull()
  })

  it('reads a trial org’s end date', () => {
    const trial = {
      ...org,
      license_details: { ...org.license_details, paid: false, trial_expiry: '2026-02-01' },
    }
    expect(parseOrg(200, { org: [trial] })).toMatchObject({ paid: false, trialExpiry: '2026-02-01' })
  })

  it('fails on an empty org list, and maps the CRM error codes', () => {
    expect(problemOf(() => parseOrg(200, { org: [] })).kind).toBe('bad-response')
    expect(problemOf(() => parseOrg(200, { status: 'error', code: 'INVALID_DATA', message: 'x' })).kind).toBe(
      'bad-response',
    )
    const scope = { code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'm', status: 'error' }
    expect(problemOf(() => parseOrg(401, scope)).kind).toBe('scope-missing')
  })
})
