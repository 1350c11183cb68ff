import { createHash, randomBytes } from 'node:crypto'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SeatTrayError } from '../../main/core/errors'
import { listenForRedirect, signInWithSystemBrowser } from '../../main/core/loopback-redirect'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { SystemBrowserAuth } from '../../main/platform/browser-auth'
import { VirtualClock } from '../helpers/virtual-clock'

// Real loopback HTTP throughout: the Zoho simulator plays Zoho, `fetch` plays the person's browser, and the
// redirect URI uses a free port of its own so these tests never fight the app (or each other) for port 47813.
let sim: Simulator
let redirectUri: string
const tabs: { status: number; text: string }[] = []

beforeEach(async () => {
  redirectUri = `http://127.0.0.1:${await freePort()}/oauth/callback`
  sim = await startSimulator({ redirectUris: [redirectUri] })
  tabs.length = 0
})
afterEach(async () => {
  await sim.close()
})

describe('signing in through the system browser', () => {
  it('hands back Zoho’s redirect, with code and state, and tells the person they can close the tab', async () => {
    const redirect = await signInWithSystemBrowser({
      url: authorizeUrl('st-1'),
      redirectUri,
      open: browser('accept'),
    })
    const u = new URL(redirect)
    expect(`${u.origin}${u.pathname}`).toBe(redirectUri)
    expect(u.searchParams.get('state')).toBe('st-1')
    expect(u.searchParams.get('code')).toBeTruthy()
    expect(u.searchParams.get('accounts-server')).toBe(sim.accountsServer)
    expect(tabs).toEqual([{ status: 200, text: expect.stringContaining('You can close this tab') }])
  })

  it('hands back Zoho’s refusal too, and the tab says sign-in was not completed', async () => {
    const redirect = await signInWithSystemBrowser({
      url: authorizeUrl('st-2'),
      redirectUri,
      open: browser('reject'),
    })
    expect(new URL(redirect).searchParams.get('error')).toBe('access_denied')
    expect(tabs[0]?.text).toContain('Sign-in not completed')
  })

  it('answers exactly one redirect, then stops listening', async () => {
    await signInWithSystemBrowser({ url: authorizeUrl('st-3'), redirectUri, open: browser('accept') })
    await expect(fetch(`${redirectUri}?code=replayed`)).rejects.toThrow()
    // The port is free again for the next sign-in.
    await expect(
      listenForRedirect({ redirectUri, state: 's' }).then((l) => l.close()),
    ).resolves.toBeUndefined()
  })

  it('answers other paths and methods with 404 and keeps waiting for the real redirect', async () => {
    const listener = await listenForRedirect({ redirectUri, state: 's' })
    const origin = new URL(redirectUri).origin
    expect((await fetch(`${origin}/favicon.ico`)).status).toBe(404)
    expect((await fetch(`${origin}/oauth/callbackX?code=nope`)).status).toBe(404)
    expect((await fetch(`${redirectUri}?code=posted`, { method: 'POST' })).status).toBe(404)
    const answer = await fetch(`${redirectUri}?code=right&state=s`)
    expect(answer.status).toBe(200)
    await expect(listener.redirect).resolves.toBe(`${redirectUri}?code=right&state=s`)
  })

  it('keeps waiting through stray requests (wrong state, no state, another Host, another path) and signs in with the real redirect', async () => {
    const strays: [string, string, string][] = [
      ['wrong state', '/oauth/callback?code=forged&state=not-ours', 'own'],
      ['no state', '/oauth/callback?code=forged', 'own'],
      ['a forged error without state', '/oauth/callback?error=access_denied', 'own'],
      ['Host: evil.example', '/oauth/callback?code=rebound&state=st-8', 'evil.example'],
      ['Host: localhost', '/oauth/callback?code=rebound&state=st-8', `localhost:${port()}`],
      ['another port in Host', '/oauth/callback?code=rebound&state=st-8', `127.0.0.1:${port() + 1}`],
      ['no Host at all', '/oauth/callback?code=forged&state=st-8', ''],
      ['another path', '/oauth/callbackX?code=forged&state=st-8', 'own'],
    ]
    const answers: Record<string, number> = {}
    const redirect = signInWithSystemBrowser({
      url: authorizeUrl('st-8'),
      redirectUri,
      open: async (url) => {
        for (const [what, path, host] of strays) answers[what] = await rawGet(path, host)
        await browser('accept')(url)
      },
    })
    const u = new URL(await redirect)
    expect(u.searchParams.get('state')).toBe('st-8')
    expect(u.searchParams.get('code')).not.toMatch(/forged|rebound/)
    expect(tabs).toEqual([{ status: 200, text: expect.stringContaining('You can close this tab') }])
    expect(answers).toEqual({
      'wrong state': 400,
      'no state': 400,
      'a forged error without state': 400,
      'Host: evil.example': 400,
      'Host: localhost': 400,
      'another port in Host': 400,
      'no Host at all': 400,
      'another path': 404,
    })
    // Only Zoho's own redirect was answered with the "you can close this tab" page: 8 strays, 8 refusals.
    expect(Object.values(answers).filter((s) => s >= 400)).toHaveLength(strays.length)
  })

  it('says clearly when the redirect port is taken, before any browser opens', async () => {
    const squatter = await occupy(Number(new URL(redirectUri).port))
    let opened = false
    const attempt = signInWithSystemBrowser({
      url: authorizeUrl('st-4'),
      redirectUri,
      open: async () => {
        opened = true
      },
    })
    await expect(attempt).rejects.toSatisfy(
      (e) =>
        e instanceof SeatTrayError &&
        e.problem.kind === 'sign-in-failed' &&
        /is in use/.test(e.problem.detail ?? ''),
    )
    expect(opened).toBe(false)
    await new Promise((resolve) => squatter.close(resolve))
  })

  it('stops waiting and frees the port when the person cancels', async () => {
    const controller = new AbortController()
    const attempt = signInWithSystemBrowser({
      url: authorizeUrl('st-5'),
      redirectUri,
      signal: controller.signal,
      open: async () => controller.abort(),
    })
    await expect(attempt).rejects.toSatisfy(
      (e) => e instanceof SeatTrayError && e.problem.kind === 'sign-in-cancelled',
    )
    await expect(fetch(`${redirectUri}?code=late`)).rejects.toThrow()
  })

  it('gives up after 5 minutes without an answer, and frees the port', async () => {
    const clock = new VirtualClock()
    const listener = await listenForRedirect({ redirectUri, state: 's', clock })
    let outcome: unknown = 'waiting'
    listener.redirect.catch((e: unknown) => {
      outcome = e
    })
    await clock.advance(5 * 60_000 - 1)
    expect(outcome).toBe('waiting')
    await clock.advance(1)
    expect(outcome).toBeInstanceOf(SeatTrayError)
    expect((outcome as SeatTrayError).problem.detail).toMatch(/within 5 minutes/)
    await expect(fetch(`${redirectUri}?code=late`)).rejects.toThrow()
  })

  it('reports a browser that cannot be opened, and frees the port', async () => {
    const attempt = signInWithSystemBrowser({
      url: authorizeUrl('st-6'),
      redirectUri,
      open: () => Promise.reject(new Error('no handler for https')),
    })
    await expect(attempt).rejects.toSatisfy(
      (e) =>
        e instanceof SeatTrayError &&
        /could not be opened \(no handler for https\)/.test(e.problem.detail ?? ''),
    )
    await expect(
      listenForRedirect({ redirectUri, state: 's' }).then((l) => l.close()),
    ).resolves.toBeUndefined()
  })

  it('listens only on a loopback IP literal', async () => {
    for (const uri of [
      'http://localhost:47999/cb',
      'http://0.0.0.0:47999/cb',
      'https://127.0.0.1:47999/cb',
    ]) {
      await expect(listenForRedirect({ redirectUri: uri, state: 's' }), uri).rejects.toThrow(
        /must be http:\/\/127\.0\.0\.1/,
      )
    }
  })

  it('works as the app’s AuthBrowser', async () => {
    const auth = new SystemBrowserAuth({ open: browser('accept') })
    const redirect = await auth.authorize({
      url: authorizeUrl('st-7'),
      redirectUri,
      signal: new AbortController().signal,
      hostPolicy: { allowLoopback: true },
    })
    expect(new URL(redirect).searchParams.get('state')).toBe('st-7')
  })
})

describe('the system browser and the host policy', () => {
  it('opens each sign-in with that sign-in’s own policy, so the demo’s never reaches a real sign-in', async () => {
    const policies: unknown[] = []
    const auth = new SystemBrowserAuth({
      open: async (url, policy) => {
        policies.push(policy)
        await browser('accept')(url)
      },
    })
    const signal = new AbortController().signal
    await auth.authorize({
      url: authorizeUrl('st-9'),
      redirectUri,
      signal,
      hostPolicy: { allowLoopback: true },
    })
    await auth.authorize({
      url: authorizeUrl('st-10'),
      redirectUri,
      signal,
      hostPolicy: { allowLoopback: false },
    })
    expect(policies).toEqual([{ allowLoopback: true }, { allowLoopback: false }])
  })
})

/** What the person's browser does: show Zoho's consent page, click a button, follow the redirect. */
function browser(decision: 'accept' | 'reject') {
  return async (url: string): Promise<void> => {
    const consentPage = await (await fetch(url)).text()
    const consent = /name="consent" value="([^"]+)"/.exec(consentPage)?.[1]
    if (!consent) throw new Error(`no consent form in: ${consentPage.slice(0, 200)}`)
    const landed = await fetch(new URL('/oauth/v2/auth/consent', url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ consent, decision }).toString(),
    })
    tabs.push({ status: landed.status, text: await landed.text() })
  }
}

function port(): number {
  return Number(new URL(redirectUri).port)
}

/** A GET as a stray local program (or a DNS-rebinding page) would send it: any Host header, or none ('' = none). */
function rawGet(path: string, host: string): Promise<number> {
  const headers: Record<string, string> = host === 'own' ? {} : host ? { host } : {}
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: port(), path, headers, setHost: host !== '' }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

function authorizeUrl(state: string): string {
  const verifier = randomBytes(32).toString('base64url')
  const u = new URL('/oauth/v2/auth', sim.accountsServer)
  u.search = new URLSearchParams({
    client_id: sim.client.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'ZohoCRM.features.READ,ZohoCRM.org.READ',
    access_type: 'offline',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString()
  return u.toString()
}

async function freePort(): Promise<number> {
  const server = await occupy(0)
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function occupy(port: number): Promise<Server> {
  const server = createServer((_req, res) => res.end('someone else'))
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}
