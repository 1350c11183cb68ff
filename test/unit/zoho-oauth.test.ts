import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { SeatTrayError } from '../../main/core/errors'
import { retryAfterMs } from '../../main/core/zoho/http'
import { beginSignIn, exchangeCode, parseRedirect, type SignInAttempt } from '../../main/core/zoho/oauth'
import { challengeFor, createVerifier } from '../../main/core/zoho/pkce'
import { REDIRECT_URI } from '../../main/core/zoho/redirect'
import { problemOf } from '../helpers/problems'
import { VirtualClock } from '../helpers/virtual-clock'

const strict = { allowLoopback: false }
const CLIENT = { clientId: '1000.CLIENT', clientSecret: 'secret' }

function start(o: Partial<Parameters<typeof beginSignIn>[0]> = {}): SignInAttempt {
  return beginSignIn({
    client: CLIENT,
    accountsServer: 'https://accounts.zoho.com',
    redirectUri: REDIRECT_URI,
    hostPolicy: strict,
    ...o,
  })
}

describe('starting a sign-in', () => {
  it('asks Zoho for an offline, consented code for the two read scopes and who holds seats, bound to a PKCE challenge and a state', () => {
    const attempt = start()
    const url = new URL(attempt.url)
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.zoho.com/oauth/v2/auth')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT.clientId,
      scope: 'ZohoCRM.features.READ,ZohoCRM.org.READ,ZohoCRM.users.READ',
      redirect_uri: REDIRECT_URI,
      access_type: 'offline',
      prompt: 'consent',
      state: attempt.state,
      code_challenge: createHash('sha256').update(attempt.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    })
    expect(attempt.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/)
    expect(attempt.accountsServer).toBe('https://accounts.zoho.com')
    expect(url.toString()).not.toContain(CLIENT.clientSecret)
  })

  it('never reuses a verifier or a state', () => {
    const a = start()
    const b = start()
    expect(a.codeVerifier).not.toBe(b.codeVerifier)
    expect(a.state).not.toBe(b.state)
  })

  it('takes its randomness from the injected source', () => {
    const zeros = start({ random: (n) => new Uint8Array(n) })
    expect(zeros.codeVerifier).toBe('A'.repeat(43))
    expect(zeros.state).toBe('A'.repeat(22))
  })

  it('starts Chinese sign-ins at the Chinese accounts server, and refuses servers that are not Zoho’s', () => {
    expect(start({ accountsServer: 'https://accounts.zoho.com.cn' }).url).toMatch(
      /^https:\/\/accounts\.zoho\.com\.cn\//,
    )
    expect(problemOf(() => start({ accountsServer: 'https://accounts.zoho.com.evil.example' })).kind).toBe(
      'untrusted-host',
    )
    expect(problemOf(() => start({ accountsServer: 'http://127.0.0.1:9' })).kind).toBe('untrusted-host')
  })

  it('computes the S256 challenge the way RFC 7636 does, and rejects verifiers outside its alphabet or length', () => {
    const verifier = createVerifier()
    expect(challengeFor(verifier)).toBe(createHash('sha256').update(verifier, 'ascii').digest('base64url'))
    expect(() => challengeFor('short')).toThrow()
    expect(() => challengeFor(`${'a'.repeat(43)} `)).toThrow()
  })
})

describe('reading the redirect Zoho ends on', () => {
  const attempt = start()
  const back = (params: Record<string, string>, base = REDIRECT_URI) =>
    `${base}?${new URLSearchParams({ state: attempt.state, ...params })}`

  it('takes the code and the accounts server of the user’s data center', () => {
    const url = back({ code: '1000.code', location: 'eu', 'accounts-server': 'https://accounts.zoho.eu' })
    expect(parseRedirect(url, attempt, strict)).toEqual({
      code: '1000.code',
      accountsServer: 'https://accounts.zoho.eu',
      location: 'eu',
    })
  })

  it('stays with the accounts server it started at when the redirect names none', () => {
    expect(parseRedirect(back({ code: 'c' }), attempt, strict)).toEqual({
      code: 'c',
      accountsServer: 'https://accounts.zoho.com',
      location: null,
    })
  })

  it('refuses an accounts server that is not Zoho’s before anything is sent to it', () => {
    for (const server of [
      'https://accounts.zoho.eu.evil.example',
      'http://accounts.zoho.eu',
      'http://127.0.0.1:80',
    ]) {
      const p = problemOf(() =>
        parseRedirect(back({ code: 'c', 'accounts-server': server }), attempt, strict),
      )
      expect(p.kind, server).toBe('untrusted-host')
    }
  })

  it('rejects a redirect whose state is not this sign-in’s, even when it reports an error', () => {
    const forged = `${REDIRECT_URI}?code=c&state=someone-else`
    expect(problemOf(() => parseRedirect(forged, attempt, strict))).toMatchObject({
      kind: 'sign-in-failed',
      detail: 'state mismatch',
    })
    const noState = `${REDIRECT_URI}?error=access_denied`
    expect(problemOf(() => parseRedirect(noState, attempt, strict)).kind).toBe('sign-in-failed')
  })

  it('treats a refusal on Zoho’s consent page as a cancelled sign-in', () => {
    expect(problemOf(() => parseRedirect(back({ error: 'access_denied' }), attempt, strict)).kind).toBe(
      'sign-in-cancelled',
    )
    expect(problemOf(() => parseRedirect(back({ error: 'server_error' }), attempt, strict))).toMatchObject({
      kind: 'sign-in-failed',
      detail: 'server_error',
    })
  })

  it('accepts only the exact redirect address, not a look-alike', () => {
    for (const base of [
      'http://127.0.0.1:47814/oauth/callback',
      'http://localhost:47813/oauth/callback',
      'http://127.0.0.1:47813/oauth/callback/extra',
      'https://127.0.0.1:47813/oauth/callback',
    ]) {
      expect(problemOf(() => parseRedirect(back({ code: 'c' }, base), attempt, strict)).kind, base).toBe(
        'sign-in-failed',
      )
    }
    expect(problemOf(() => parseRedirect('not a url', attempt, strict)).kind).toBe('sign-in-failed')
    expect(problemOf(() => parseRedirect(back({}), attempt, strict)).detail).toBe('no code in the redirect')
  })
})

describe('Retry-After', () => {
  const now = Date.UTC(2026, 0, 5, 9)
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(retryAfterMs('30', now)).toBe(30_000)
    expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now)).toBe(90_000)
    expect(retryAfterMs(new Date(now - 90_000).toUTCString(), now)).toBe(0)
    expect(retryAfterMs(null, now)).toBeUndefined()
    expect(retryAfterMs('soon', now)).toBeUndefined()
  })
})

describe('trading the code for tokens', () => {
  const clock = new VirtualClock()
  const attempt = start({ accountsServer: 'https://accounts.zoho.eu' })
  const redirect = { code: 'c', accountsServer: 'https://accounts.zoho.eu', location: 'eu' }
  /** Zoho's token endpoint answering with `body`; records where the request went. */
  const zohoSays = (body: unknown) => {
    const seen: string[] = []
    const fetch = async (url: string) => {
      seen.push(url)
      return new Response(JSON.stringify(body))
    }
    return { http: { fetch, clock }, seen }
  }
  const exchange = (body: unknown) => {
    const { http, seen } = zohoSays(body)
    return { result: exchangeCode(http, { client: CLIENT, attempt, redirect, hostPolicy: strict }), seen }
  }

  it('goes to the accounts server the redirect named', async () => {
    const { result, seen } = exchange({
      access_token: 'a',
      refresh_token: 'r',
      api_domain: 'https://www.zohoapis.eu',
    })
    expect(await result).toMatchObject({
      accessToken: 'a',
      refreshToken: 'r',
      apiDomain: 'https://www.zohoapis.eu',
    })
    expect(seen).toEqual(['https://accounts.zoho.eu/oauth/v2/token'])
  })

  it('falls back to the data center’s API domain should Zoho not name one', async () => {
    expect((await exchange({ access_token: 'a', refresh_token: 'r' }).result).apiDomain).toBe(
      'https://www.zohoapis.eu',
    )
  })

  it('does not call a sign-in finished without a refresh token', async () => {
    const p = await exchange({ access_token: 'a', api_domain: 'https://www.zohoapis.eu' }).result.catch(
      (e: SeatTrayError) => e.problem,
    )
    expect(p).toMatchObject({ kind: 'sign-in-failed' })
  })

  it('refuses an API domain that is not Zoho’s', async () => {
    const body = { access_token: 'a', refresh_token: 'r', api_domain: 'https://zohoapis.eu.evil.example' }
    const p = await exchange(body).result.catch((e: SeatTrayError) => e.problem)
    expect(p).toMatchObject({ kind: 'untrusted-host' })
  })
})
