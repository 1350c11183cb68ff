import { EventEmitter } from 'node:events'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { App, Session, WebContents } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { INLINE_HASHES_FILE, NO_INLINE, windowCsp } from '../../common/csp'

const privileged: unknown[] = []
const handlers = new Map<string, (request: { url: string }) => Promise<Response>>()
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes),
    handle: (scheme: string, fn: (request: { url: string }) => Promise<Response>) => handlers.set(scheme, fn),
  },
}))

const security = await import('../../main/platform/security')

/** A stand-in for Electron's app: an EventEmitter that remembers whether the sandbox was enabled. */
function fakeApp() {
  const app = new EventEmitter() as EventEmitter & { sandboxed: boolean; enableSandbox(): void }
  app.sandboxed = false
  app.enableSandbox = () => {
    app.sandboxed = true
  }
  return app
}

let nextId = 1
function fakeContents() {
  const contents = new EventEmitter() as EventEmitter & {
    id: number
    openHandler?: (details: { url: string }) => { action: string }
    setWindowOpenHandler(fn: (details: { url: string }) => { action: string }): void
  }
  contents.id = nextId++
  contents.setWindowOpenHandler = (fn) => {
    contents.openHandler = fn
  }
  return contents
}

function fakeSession() {
  const session = {
    request: undefined as undefined | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
    check: undefined as undefined | ((...a: unknown[]) => boolean),
    setPermissionRequestHandler(fn: (c: unknown, p: string, cb: (ok: boolean) => void) => void) {
      session.request = fn
    },
    setPermissionCheckHandler(fn: (...a: unknown[]) => boolean) {
      session.check = fn
    },
  }
  return session
}

/** Emits a navigation event and says whether the app let it through. */
function navigate(contents: EventEmitter, kind: 'will-navigate' | 'will-redirect', url: string): boolean {
  let prevented = false
  contents.emit(kind, { preventDefault: () => (prevented = true) }, url)
  return !prevented
}

function hardenedApp() {
  const app = fakeApp()
  security.hardenBeforeReady(app as unknown as App)
  const contents = fakeContents()
  app.emit('web-contents-created', {}, contents)
  return { app, contents }
}

describe('the app-wide security rules', () => {
  it('turns on the sandbox for every renderer and registers app:// as a secure standard scheme', () => {
    const { app } = hardenedApp()
    expect(app.sandboxed).toBe(true)
    expect(privileged).toContainEqual({
      scheme: 'app',
      privileges: expect.objectContaining({ standard: true, secure: true }),
    })
  })

  it('never lets a page open a new window', () => {
    const { contents } = hardenedApp()
    expect(contents.openHandler?.({ url: 'https://api-console.zoho.com/' })).toEqual({ action: 'deny' })
  })

  it('stops every navigation and redirect away from the page', () => {
    const { contents } = hardenedApp()
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(false)
    expect(navigate(contents, 'will-redirect', 'app://seat-tray/other.html')).toBe(false)
  })

  it('lets a window allow its own destinations, and only until it revokes them', () => {
    const { contents } = hardenedApp()
    const other = fakeContents()
    const revoke = security.allowNavigation(contents as unknown as WebContents, (url) =>
      url.startsWith('https://accounts.zoho.com/'),
    )
    expect(navigate(contents, 'will-navigate', 'https://accounts.zoho.com/signin')).toBe(true)
    expect(navigate(contents, 'will-redirect', 'https://evil.example/')).toBe(false)
    expect(security.mayNavigate(other, 'https://accounts.zoho.com/signin')).toBe(false)
    revoke()
    expect(navigate(contents, 'will-navigate', 'https://accounts.zoho.com/signin')).toBe(false)
  })

  it('forgets a window’s rules when it is destroyed', () => {
    const { contents } = hardenedApp()
    security.allowNavigation(contents as unknown as WebContents, () => true)
    contents.emit('destroyed')
    expect(security.mayNavigate(contents, 'https://accounts.zoho.com/')).toBe(false)
  })

  it('refuses every permission request and check, in the default session and every new one', () => {
    const app = fakeApp()
    security.hardenBeforeReady(app as unknown as App)
    const created = fakeSession()
    app.emit('session-created', created)
    const main = fakeSession()
    security.hardenAfterReady(main as unknown as Session, tmpdir())
    for (const s of [created, main]) {
      const answers: boolean[] = []
      s.request?.({}, 'notifications', (ok) => answers.push(ok))
      s.request?.({}, 'media', (ok) => answers.push(ok))
      expect(answers).toEqual([false, false])
      expect(s.check?.({}, 'clipboard-read')).toBe(false)
    }
  })
})

describe('serving the window from app://seat-tray/', () => {
  const base = mkdtempSync(join(tmpdir(), 'seat-tray-renderer-'))
  const dir = join(base, 'renderer')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Seat Tray</title>')
  writeFileSync(join(dir, 'assets', 'main.js'), 'console.log(1)')
  writeFileSync(join(base, 'seat-tray-secret.txt'), 'secret')

  it('serves our pages with their type and a Content-Security-Policy header', async () => {
    security.hardenAfterReady(fakeSession() as unknown as Session, dir)
    const serve = handlers.get('app')!
    const page = await serve({ url: 'app://seat-tray/index.html' })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'none'")
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(await page.text()).toContain('Seat Tray')
    const script = await serve({ url: 'app://seat-tray/assets/main.js' })
    expect(script.headers.get('content-type')).toMatch(/javascript/)
  })

  it('allows exactly the inline script and style the build hashed, in the header as in the page', () => {
    const built = mkdtempSync(join(tmpdir(), 'seat-tray-built-'))
    const hashes = { scripts: [`'sha256-${'a'.repeat(43)}='`], styles: [`'sha256-${'b'.repeat(43)}='`] }
    writeFileSync(join(built, INLINE_HASHES_FILE), JSON.stringify(hashes))
    const csp = security.rendererCsp(built)
    expect(csp).toBe(windowCsp(hashes, 'header'))
    expect(csp).toContain(`script-src 'self' ${hashes.scripts[0]};`)
    expect(csp).toContain(`style-src 'self' ${hashes.styles[0]};`)
    expect(csp).not.toContain('unsafe')
  })

  it('allows no inline code when the hashes file is missing, garbled or asks for more than hashes', () => {
    const strict = windowCsp(NO_INLINE, 'header')
    expect(security.rendererCsp(join(tmpdir(), 'no-such-build'))).toBe(strict)
    for (const text of [
      '{"scripts": [',
      '[]',
      JSON.stringify({ scripts: ["'unsafe-inline'"], styles: [] }),
      JSON.stringify({ scripts: ["'sha256-x=' 'unsafe-eval'"], styles: [] }),
      JSON.stringify({ scripts: ['https://evil.example'], styles: [] }),
      JSON.stringify({ scripts: [] }),
    ]) {
      const built = mkdtempSync(join(tmpdir(), 'seat-tray-built-'))
      writeFileSync(join(built, INLINE_HASHES_FILE), text)
      expect(security.rendererCsp(built), text).toBe(strict)
    }
    expect(strict).toContain("script-src 'self';")
  })

  it('serves nothing outside the built window, however the path is spelled', async () => {
    for (const url of [
      'app://seat-tray/../seat-tray-secret.txt',
      'app://seat-tray/%2e%2e/seat-tray-secret.txt',
      'app://seat-tray/assets/..%2f..%2fseat-tray-secret.txt',
      'app://seat-tray/%00index.html',
      'app://other-host/index.html',
      'app://seat-tray/missing.js',
    ]) {
      expect((await security.rendererResponse(dir, url, 'x')).status, url).toBe(404)
    }
    expect(security.rendererFile(dir, 'app://seat-tray/')).toBe(join(dir, 'index.html'))
  })
})
