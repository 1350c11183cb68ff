/**
 * The Electron side of proxy sign-in, with stand-ins for `app` and `net.request` shaped like Electron's (a request
 * is an event emitter that emits 'login' with AuthInfo and a callback, then 'response' with a readable message).
 */
import { EventEmitter } from 'node:events'
import { Readable } from 'node:stream'
import type { ClientRequest, ClientRequestConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import type { ProxyChallenge, ProxyCredentials } from '../../main/core/proxy-credentials'
import { answerProxyLogins, proxyAwareFetch } from '../../main/platform/proxy-auth'

const PROXY = { isProxy: true, host: 'proxy.corp', port: 3128, realm: 'Corp', scheme: 'basic' }

/** A responder that records every challenge and answers from a script. */
function scripted(...answers: (ProxyCredentials | null)[]) {
  const challenges: ProxyChallenge[] = []
  return {
    challenges,
    async respond(challenge: ProxyChallenge) {
      challenges.push(challenge)
      return answers.shift() ?? null
    },
  }
}

/** A proxy in front of one URL: it wants `password`, and gives up after `maxTries` wrong answers. */
function fakeNet(opts: { password?: string; status?: number; headers?: Record<string, string[]> } = {}) {
  const requests: {
    options: ClientRequestConstructorOptions
    headers: Record<string, string>
    body: string
  }[] = []
  const net = {
    request(options: ClientRequestConstructorOptions) {
      const request = new EventEmitter() as EventEmitter & Record<string, unknown>
      const seen = { options, headers: {} as Record<string, string>, body: '' }
      requests.push(seen)
      request.setHeader = (name: string, value: string) => {
        seen.headers[name] = value
      }
      request.write = (chunk: string) => {
        seen.body += chunk
      }
      request.abort = () => undefined
      request.end = () => {
        const challenge = () => {
          if (opts.password === undefined) return respond()
          request.emit('login', PROXY, (username?: string, password?: string) => {
            if (username === undefined)
              return request.emit('error', new Error('net::ERR_PROXY_AUTH_REQUESTED'))
            if (password === opts.password) return respond()
            challenge()
          })
        }
        const respond = () => {
          const message = Object.assign(Readable.from([Buffer.from('{"ok":true}')]), {
            statusCode: opts.status ?? 200,
            statusMessage: 'OK',
            headers: opts.headers ?? { 'content-type': ['application/json'] },
          })
          request.emit('response', message)
        }
        setTimeout(challenge, 0)
      }
      return request as unknown as ClientRequest
    },
  }
  return { net, requests }
}

describe('the engine’s fetch behind an office proxy', () => {
  it('sends the request as given and hands back the answer', async () => {
    const { net, requests } = fakeNet()
    const fetch = proxyAwareFetch(net, scripted())
    const response = await fetch('https://accounts.zoho.com/oauth/v2/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token',
      redirect: 'manual',
    })
    expect(response.status).toBe(200)
    await expect(response.json()).resolves.toEqual({ ok: true })
    expect(requests[0]).toMatchObject({
      options: { url: 'https://accounts.zoho.com/oauth/v2/token', method: 'POST', redirect: 'manual' },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token',
    })
  })

  it('answers the proxy with what the person gave, and goes through', async () => {
    const { net } = fakeNet({ password: 'right' })
    const responder = scripted({ username: 'ann', password: 'right' })
    const response = await proxyAwareFetch(net, responder)('https://www.zohoapis.com/crm/v8/users')
    expect(response.status).toBe(200)
    expect(responder.challenges).toEqual([{ host: 'proxy.corp', port: 3128, realm: 'Corp', scheme: 'basic' }])
  })

  it('tells the rules what was refused when the proxy asks again on the same request', async () => {
    const { net } = fakeNet({ password: 'right' })
    const responder = scripted({ username: 'ann', password: 'typo' }, { username: 'ann', password: 'right' })
    await proxyAwareFetch(net, responder)('https://www.zohoapis.com/crm/v8/users')
    expect(responder.challenges.map((c) => c.repeat)).toEqual([
      undefined,
      { sent: { username: 'ann', password: 'typo' } },
    ])
  })

  it('fails the request when nobody answers the proxy', async () => {
    const { net } = fakeNet({ password: 'right' })
    await expect(proxyAwareFetch(net, scripted(null))('https://www.zohoapis.com/')).rejects.toThrow(
      /PROXY_AUTH/,
    )
  })

  it('hands back a redirect instead of following it when asked to, like fetch', async () => {
    const { net } = fakeNet()
    const redirecting = {
      request(options: ClientRequestConstructorOptions) {
        const request = net.request(options) as unknown as EventEmitter & { end(): void }
        request.end = () =>
          setTimeout(() =>
            request.emit('redirect', 302, 'GET', 'https://evil.example/', {
              location: ['https://evil.example/'],
            }),
          )
        return request as unknown as ClientRequest
      },
    }
    const response = await proxyAwareFetch(redirecting, scripted())('https://www.zohoapis.com/', {
      redirect: 'manual',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('https://evil.example/')
  })

  it('stops when the caller gives up', async () => {
    const { net } = fakeNet()
    const controller = new AbortController()
    controller.abort(new Error('timed out'))
    await expect(
      proxyAwareFetch(net, scripted())('https://www.zohoapis.com/', { signal: controller.signal }),
    ).rejects.toThrow('timed out')
  })

  it('leaves a web server’s own password prompt alone (cancelled, as Electron does)', async () => {
    const { net } = fakeNet()
    const serverAuth = {
      request(options: ClientRequestConstructorOptions) {
        const request = net.request(options) as unknown as EventEmitter & { end(): void }
        request.end = () =>
          setTimeout(() =>
            request.emit('login', { ...PROXY, isProxy: false }, (username?: string) =>
              request.emit('error', new Error(username === undefined ? 'cancelled' : 'answered')),
            ),
          )
        return request as unknown as ClientRequest
      },
    }
    const responder = scripted({ username: 'ann', password: 'right' })
    await expect(proxyAwareFetch(serverAuth, responder)('https://www.zohoapis.com/')).rejects.toThrow(
      'cancelled',
    )
    expect(responder.challenges).toEqual([])
  })
})

describe('the sign-in window behind an office proxy', () => {
  function login(app: EventEmitter, authInfo: typeof PROXY, firstAuthAttempt: boolean) {
    let prevented = false
    const answered = new Promise<unknown[]>((resolve) =>
      app.emit(
        'login',
        { preventDefault: () => (prevented = true) },
        null,
        { url: 'https://accounts.zoho.com/', pid: 1, isRequestForNavigation: true, firstAuthAttempt },
        authInfo,
        (...args: unknown[]) => resolve(args),
      ),
    )
    return { answered, prevented: () => prevented }
  }

  it('answers proxy challenges, and says when one is a second attempt', async () => {
    const app = new EventEmitter()
    const responder = scripted({ username: 'ann', password: 'right' }, null)
    const stop = answerProxyLogins(app as never, responder)
    const first = login(app, PROXY, true)
    await expect(first.answered).resolves.toEqual(['ann', 'right'])
    expect(first.prevented()).toBe(true)
    const second = login(app, PROXY, false)
    await expect(second.answered).resolves.toEqual([])
    expect(responder.challenges.map((c) => c.repeat)).toEqual([undefined, {}])
    stop()
    expect(app.listenerCount('login')).toBe(0)
  })

  it('leaves a web server’s own password prompt to Electron', () => {
    const app = new EventEmitter()
    const responder = scripted()
    answerProxyLogins(app as never, responder)
    const server = login(app, { ...PROXY, isProxy: false }, true)
    expect(server.prevented()).toBe(false)
    expect(responder.challenges).toEqual([])
  })
})
