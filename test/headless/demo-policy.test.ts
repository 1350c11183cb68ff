/**
 * The demo talks to the simulator on 127.0.0.1, so its sign-in may show loopback pages. That allowance belongs to
 * the demo's sign-in alone: a real sign-in started while the demo runs must refuse a loopback page as always.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { problem } from '../../common/problems'
import { SeatTrayError } from '../../main/core/errors'
import type { AuthBrowser, AuthRequest } from '../../main/core/ports'
import { signInNavigation } from '../../main/core/sign-in-navigation'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { consentBot } from '../doubles/consent-bot'
import { type Headless, startHeadless } from '../helpers/headless'

let demoSim: Simulator
let h: Headless

afterEach(async () => {
  await h.dispose()
  await demoSim.close()
})

/**
 * A browser that applies the sign-in window's own rule (signInNavigation, with the policy the app handed this
 * sign-in) to every page it is sent to, then clicks through the simulator's consent page when it gets there.
 * `detour` plays Zoho's page sending the window on somewhere else.
 */
function policedBrowser(detour: (request: AuthRequest) => string | null) {
  const seen: AuthRequest[] = []
  const bot = consentBot()
  const browser: AuthBrowser = {
    async authorize(request) {
      seen.push(request)
      for (const page of [request.url, detour(request)]) {
        if (page === null) continue
        const verdict = signInNavigation(page, request.redirectUri, request.hostPolicy)
        if (verdict.kind === 'block') {
          throw new SeatTrayError(problem('untrusted-host', { detail: `${verdict.origin} refused` }))
        }
      }
      return bot.authorize(request)
    },
  }
  return { browser, seen }
}

describe('a real sign-in started while the demo runs', () => {
  it('refuses the loopback accounts server the demo’s own sign-in may use', async () => {
    demoSim = await startSimulator({ scenario: 'demo' })
    const simulatorConsent = `${demoSim.accountsServer}/oauth/v2/auth`
    const { browser, seen } = policedBrowser((request) =>
      request.url.startsWith('https://accounts.zoho.com/') ? `${simulatorConsent}?client_id=x` : null,
    )
    h = startHeadless({
      hostPolicy: { allowLoopback: false },
      authBrowser: browser,
      demo: async () => ({ ...demoSim, close: async () => undefined }),
    })
    await h.app.start()
    await h.app.startDemo()

    // The demo's sign-in goes to the simulator's page and is let through.
    await h.app.signIn({ dataCenter: 'US', via: 'window' })
    expect(seen[0]?.hostPolicy).toEqual({ allowLoopback: true })
    expect(h.app.state().accounts.map((a) => a.id)).toEqual(['demo'])

    // A real client is set up while the demo runs; its sign-in starts at Zoho and is sent to a loopback page.
    await h.app.setClient({ clientId: '1000.REALCLIENT01', clientSecret: 'real-client-secret' })
    demoSim.control.clearRequests()
    const error = await h.app.signIn({ dataCenter: 'US', via: 'window' }).catch((e: unknown) => e)
    expect(seen[1]?.url).toMatch(/^https:\/\/accounts\.zoho\.com\/oauth\/v2\/auth\?/)
    expect(seen[1]?.hostPolicy).toEqual({ allowLoopback: false })
    expect(Object.isFrozen(seen[1]?.hostPolicy)).toBe(true)
    expect(error).toBeInstanceOf(SeatTrayError)
    expect(h.app.state().signInProblem).toMatchObject({ kind: 'untrusted-host' })
    // Nothing of the real sign-in reached the simulator, and the demo carries on.
    expect(demoSim.control.requests()).toEqual([])
    expect(h.app.state().demo).toBe(true)

    // The demo's allowance is still the demo's alone: the first sign-in's policy was not changed by the second.
    expect(seen[0]?.hostPolicy).toEqual({ allowLoopback: true })
  })
})
