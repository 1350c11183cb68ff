import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { isRedirectTo, signInNavigation } from '../../main/core/sign-in-navigation'
import { REDIRECT_URI } from '../../main/core/zoho/redirect'
import { problemOfRejection as problemOf } from '../helpers/problems'
import { VirtualClock } from '../helpers/virtual-clock'

const strict = { allowLoopback: false }
const demo = { allowLoopback: true }

describe('recognising the sign-in redirect', () => {
  it('matches the redirect URI by exact origin and path, whatever the query', () => {
    expect(isRedirectTo(`${REDIRECT_URI}?code=abc&state=s`, REDIRECT_URI)).toBe(true)
    expect(isRedirectTo(`${REDIRECT_URI}?error=access_denied`, REDIRECT_URI)).toBe(true)
  })

  it.each([
    ['a longer path', 'http://127.0.0.1:47813/oauth/callbackX?code=a'],
    ['a sub-path', 'http://127.0.0.1:47813/oauth/callback/more?code=a'],
    ['another port', 'http://127.0.0.1:47814/oauth/callback?code=a'],
    ['localhost instead of the IP', 'http://localhost:47813/oauth/callback?code=a'],
    ['https', 'https://127.0.0.1:47813/oauth/callback?code=a'],
    ['the path only in the query', 'https://evil.example/?next=http://127.0.0.1:47813/oauth/callback'],
    ['credentials in the URL', 'http://user:pw@127.0.0.1:47813/oauth/callback?code=a'],
    ['not a URL', 'oauth/callback?code=a'],
  ])('does not mistake %s for it', (_what, url) => {
    expect(isRedirectTo(url, REDIRECT_URI)).toBe(false)
  })
})

describe('where the sign-in window may go', () => {
  it('lets it show every Zoho data center’s accounts pages', () => {
    for (const url of [
      'https://accounts.zoho.com/oauth/v2/auth?client_id=x',
      'https://accounts.zoho.eu/signin',
      'https://accounts.zohocloud.ca/oauth/v2/auth',
      'https://accounts.zoho.com.cn/oauth/v2/auth',
    ]) {
      expect(signInNavigation(url, REDIRECT_URI, strict), url).toEqual({ kind: 'allow' })
    }
  })

  it('captures the redirect rather than loading it', () => {
    expect(signInNavigation(`${REDIRECT_URI}?code=a`, REDIRECT_URI, strict)).toEqual({ kind: 'redirect' })
  })

  it.each([
    ['plain http Zoho', 'http://accounts.zoho.com/signin', 'http://accounts.zoho.com'],
    [
      'a look-alike host',
      'https://accounts.zoho.com.evil.example/',
      'https://accounts.zoho.com.evil.example',
    ],
    ['another Zoho site', 'https://www.zoho.com/crm/', 'https://www.zoho.com'],
    ['an identity provider', 'https://login.microsoftonline.com/common', 'https://login.microsoftonline.com'],
    ['a file', 'file:///etc/passwd', 'file: address'],
    ['the simulator, outside demo mode', 'http://127.0.0.1:5555/oauth/v2/auth', 'http://127.0.0.1:5555'],
  ])('blocks %s', (_what, url, origin) => {
    expect(signInNavigation(url, REDIRECT_URI, strict)).toEqual({ kind: 'block', origin })
  })

  it('lets the simulator’s loopback pages through only when the host policy allows loopback', () => {
    expect(signInNavigation('http://127.0.0.1:5555/oauth/v2/auth', REDIRECT_URI, demo)).toEqual({
      kind: 'allow',
    })
  })
})

// ---- the window itself, against a stand-in for Electron (its binary cannot run here) ---------------------------

const fake = vi.hoisted(() => ({
  windows: [] as FakeWindow[],
  sessions: [] as { partition: string; options: unknown; session: FakeSession }[],
}))

class FakeSession {
  beforeRequest:
    | ((details: { url: string; resourceType: string }, cb: (r: { cancel?: boolean }) => void) => void)
    | null = null
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null = null
  cleared = 0
  webRequest = {
    onBeforeRequest: (listener: FakeSession['beforeRequest']) => {
      this.beforeRequest = listener
    },
  }
  setPermissionRequestHandler(handler: FakeSession['permissionRequest']) {
    this.permissionRequest = handler
  }
  setPermissionCheckHandler() {}
  async clearStorageData() {
    this.cleared++
  }
  /** What Chromium does before a request leaves: asks our listener. Returns whether it was cancelled. */
  request(url: string, resourceType = 'mainFrame'): boolean {
    let cancelled = false
    this.beforeRequest?.({ url, resourceType }, (r) => {
      cancelled = r.cancel === true
    })
    return cancelled
  }
}

class FakeWindow extends EventEmitter {
  destroyed = false
  loaded: string[] = []
  openHandler: (() => { action: string }) | null = null
  webContents = Object.assign(new EventEmitter(), {
    id: fake.windows.length + 1000,
    setWindowOpenHandler: (h: () => { action: string }) => {
      this.openHandler = h
    },
  })
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    super()
    fake.windows.push(this)
  }
  async loadURL(url: string) {
    this.loaded.push(url)
  }
  isDestroyed() {
    return this.destroyed
  }
  destroy() {
    this.destroyed = true
  }
  /** The person closes the window. */
  close() {
    this.destroyed = true
    this.emit('closed')
  }
  /** A navigation event as Electron sends it; returns whether our handler prevented it. */
  navigate(kind: 'will-navigate' | 'will-redirect', url: string, isMainFrame = true): boolean {
    let prevented = false
    this.webContents.emit(kind, {
      url,
      isMainFrame,
      preventDefault: () => {
        prevented = true
      },
    })
    return prevented
  }
}

vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  session: {
    fromPartition: (partition: string, options: unknown) => {
      const s = new FakeSession()
      fake.sessions.push({ partition, options, session: s })
      return s
    },
  },
}))

const { AuthWindowBrowser } = await import('../../main/platform/auth-window')
const { mayNavigate } = await import('../../main/platform/security')

const ZOHO_AUTH = 'https://accounts.zoho.com/oauth/v2/auth?client_id=x&state=s'

function start(o: { policy?: { allowLoopback: boolean }; clock?: VirtualClock; url?: string } = {}) {
  const controller = new AbortController()
  const browser = new AuthWindowBrowser({ ...(o.clock ? { clock: o.clock } : {}) })
  const result = browser.authorize({
    url: o.url ?? ZOHO_AUTH,
    redirectUri: REDIRECT_URI,
    signal: controller.signal,
    hostPolicy: o.policy ?? strict,
  })
  result.catch(() => undefined)
  return {
    result,
    controller,
    browser,
    win: () => fake.windows.at(-1)!,
    ses: () => fake.sessions.at(-1)!.session,
  }
}

beforeEach(() => {
  fake.windows.length = 0
  fake.sessions.length = 0
})

describe('the sign-in window', () => {
  it('opens Zoho’s page in a sandboxed, isolated window of its own, with no preload and no popups', () => {
    const { win } = start()
    const prefs = win().options.webPreferences
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    })
    expect(prefs).not.toHaveProperty('preload')
    expect(win().openHandler?.()).toEqual({ action: 'deny' })
    expect(win().loaded).toEqual([ZOHO_AUTH])
  })

  it('uses a fresh in-memory session each time, never a persistent one, and grants no permissions', () => {
    start()
    start()
    const [a, b] = fake.sessions
    expect(a?.partition).toMatch(/^oauth-[0-9a-f-]{36}$/)
    expect(a?.partition).not.toBe(b?.partition)
    let granted: boolean | undefined
    a?.session.permissionRequest?.({}, 'media', (ok) => {
      granted = ok
    })
    expect(granted).toBe(false)
  })

  it('captures the redirect before it is requested, and closes the window', async () => {
    const { result, win, ses } = start()
    expect(ses().request('https://accounts.zoho.com/signin')).toBe(false)
    expect(ses().request(`${REDIRECT_URI}?code=c1&state=s`)).toBe(true)
    await expect(result).resolves.toBe(`${REDIRECT_URI}?code=c1&state=s`)
    expect(win().destroyed).toBe(true)
    expect(ses().cleared).toBe(1)
  })

  it('captures a server redirect to the redirect URI too (will-redirect)', async () => {
    const { result, win } = start()
    expect(win().navigate('will-redirect', `${REDIRECT_URI}?code=c2`)).toBe(true)
    await expect(result).resolves.toBe(`${REDIRECT_URI}?code=c2`)
  })

  it('lets the person move between Zoho pages', async () => {
    const { win, ses, controller, result } = start()
    expect(win().navigate('will-navigate', 'https://accounts.zoho.eu/signin')).toBe(false)
    expect(win().navigate('will-redirect', 'https://accounts.zoho.com/password')).toBe(false)
    expect(ses().request('https://static.zohocdn.com/app.js', 'script')).toBe(false)
    // The app-wide navigation guard lets this window through Zoho's pages, and nowhere else.
    expect(mayNavigate(win().webContents, 'https://accounts.zoho.eu/signin')).toBe(true)
    expect(mayNavigate(win().webContents, 'https://evil.example/signin')).toBe(false)
    controller.abort()
    await result.catch(() => undefined)
  })

  it('stops at a page that is not Zoho’s and says so', async () => {
    const { result, win } = start()
    expect(win().navigate('will-navigate', 'https://phish.example/login')).toBe(true)
    const p = await problemOf(result)
    expect(p.kind).toBe('untrusted-host')
    expect(p.detail).toMatch(/https:\/\/phish\.example is not a Zoho sign-in page/)
    expect(win().destroyed).toBe(true)
  })

  it('does not stop third-party frames inside Zoho’s page (captcha), only the page itself', async () => {
    const { win, controller, result } = start()
    expect(win().navigate('will-redirect', 'https://www.google.com/recaptcha/api2/anchor', false)).toBe(false)
    controller.abort()
    await result.catch(() => undefined)
  })

  it('reports a cancelled sign-in when the person closes the window', async () => {
    const { result, win } = start()
    win().close()
    expect((await problemOf(result)).kind).toBe('sign-in-cancelled')
  })

  it('reports a cancelled sign-in when the app aborts it, and closes the window', async () => {
    const { result, win, controller } = start()
    controller.abort()
    expect((await problemOf(result)).kind).toBe('sign-in-cancelled')
    expect(win().destroyed).toBe(true)
  })

  it('gives up after 5 minutes', async () => {
    const clock = new VirtualClock()
    const { result, win } = start({ clock })
    await clock.advance(5 * 60_000)
    const p = await problemOf(result)
    expect(p.kind).toBe('sign-in-failed')
    expect(p.detail).toMatch(/within 5 minutes/)
    expect(win().destroyed).toBe(true)
  })

  it('explains a page that did not load', async () => {
    const { result, win } = start()
    win().webContents.emit('did-fail-load', {}, -106, 'ERR_INTERNET_DISCONNECTED', ZOHO_AUTH, true)
    const p = await problemOf(result)
    expect(p.kind).toBe('sign-in-failed')
    expect(p.detail).toMatch(/did not load: this computer is offline \(ERR_INTERNET_DISCONNECTED, -106\)/)
  })

  it('ignores an aborted load (one page replaced by the next) and failures inside frames', async () => {
    const { result, win, ses } = start()
    win().webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', ZOHO_AUTH, true)
    win().webContents.emit('did-fail-load', {}, -105, 'ERR_NAME_NOT_RESOLVED', 'https://ads.example/', false)
    ses().request(`${REDIRECT_URI}?code=ok`)
    await expect(result).resolves.toContain('code=ok')
  })

  it('never opens a window on a first page that is not Zoho’s', async () => {
    const { result } = start({ url: 'https://phish.example/oauth/v2/auth' })
    expect((await problemOf(result)).kind).toBe('untrusted-host')
    expect(fake.windows).toEqual([])
  })

  it('shows the simulator’s sign-in page in demo mode only', async () => {
    const sim = 'http://127.0.0.1:5555/oauth/v2/auth?client_id=x'
    expect((await problemOf(start({ url: sim }).result)).kind).toBe('untrusted-host')
    const { result, ses, win } = start({ url: sim, policy: demo })
    expect(win().loaded).toEqual([sim])
    ses().request(`${REDIRECT_URI}?code=demo`)
    await expect(result).resolves.toContain('code=demo')
  })

  it('gives each sign-in its own host policy: the demo’s may show the simulator, a real one started during the demo may not', async () => {
    // One window browser for the app's life, as main/index.ts builds it.
    const browser = new AuthWindowBrowser({})
    const simulatorPage = 'http://127.0.0.1:5555/oauth/v2/auth?client_id=demo&state=d'
    const signal = new AbortController().signal
    const demoSignIn = browser.authorize({
      url: simulatorPage,
      redirectUri: REDIRECT_URI,
      signal,
      hostPolicy: demo,
    })
    expect(fake.windows.at(-1)?.loaded).toEqual([simulatorPage])
    fake.sessions.at(-1)?.session.request(`${REDIRECT_URI}?code=demo`)
    await expect(demoSignIn).resolves.toContain('code=demo')

    // The demo still runs; a real sign-in opens on Zoho's page, which then sends the window to a loopback page.
    const real = browser.authorize({ url: ZOHO_AUTH, redirectUri: REDIRECT_URI, signal, hostPolicy: strict })
    const win = fake.windows.at(-1)!
    expect(win.navigate('will-redirect', 'http://127.0.0.1:5555/oauth/v2/auth?client_id=x')).toBe(true)
    expect(fake.sessions.at(-1)?.session.request('http://127.0.0.1:5555/oauth/v2/auth')).toBe(true)
    expect(await problemOf(real)).toMatchObject({ kind: 'untrusted-host' })
    expect(win.destroyed).toBe(true)

    // Nor may a real sign-in start on one: no window opens.
    const opened = fake.windows.length
    const straight = browser.authorize({
      url: simulatorPage,
      redirectUri: REDIRECT_URI,
      signal,
      hostPolicy: strict,
    })
    expect((await problemOf(straight)).kind).toBe('untrusted-host')
    expect(fake.windows).toHaveLength(opened)
  })

  it('cancels the sign-in still open when a new one starts', async () => {
    const controller = new AbortController()
    const browser = new AuthWindowBrowser({})
    const request = {
      url: ZOHO_AUTH,
      redirectUri: REDIRECT_URI,
      signal: controller.signal,
      hostPolicy: strict,
    }
    const first = browser.authorize(request)
    const second = browser.authorize(request)
    expect((await problemOf(first)).kind).toBe('sign-in-cancelled')
    expect(fake.windows[0]?.destroyed).toBe(true)
    fake.sessions[1]?.session.request(`${REDIRECT_URI}?code=second`)
    await expect(second).resolves.toContain('code=second')
  })
})
