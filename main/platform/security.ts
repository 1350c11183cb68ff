/**
 * The Electron security checklist, applied once for the whole app: sandboxed, isolated windows; our pages served
 * from `app://seat-tray/` with a CSP header; no new windows, no navigation away, no permissions, for every
 * webContents and every session, unless a window explicitly allows a destination (the sign-in window does).
 */
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join, relative, resolve, sep } from 'node:path'
import { type App, protocol, type Session, type WebContents } from 'electron'
import { INLINE_HASHES_FILE, parseInlineHashes, windowCsp } from '../../common/csp'
import { parseUrl } from '../core/url'
import { APP_HOST, APP_SCHEME } from './app-url'

/** Must run before `app.whenReady()`: privileged schemes and the global sandbox can only be set at startup. */
export function hardenBeforeReady(app: App): void {
  app.enableSandbox()
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
  app.on('web-contents-created', (_event, contents) => lockDown(contents))
  app.on('session-created', (session) => denyPermissions(session))
}

/** After ready: serve the built window from `rendererDir` and deny permissions in the default session. */
export function hardenAfterReady(defaultSession: Session, rendererDir: string): void {
  denyPermissions(defaultSession)
  const csp = rendererCsp(rendererDir)
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request.url, csp))
}

/**
 * The window's CSP as a header: the policy of its meta tag, with the hashes of the script and style the build
 * inlined (read once: the build never changes under a running app), plus `frame-ancestors`. Without the build's
 * hashes file no inline code is allowed, so a broken build shows a blank window rather than a looser one.
 */
export function rendererCsp(rendererDir: string): string {
  let text = ''
  try {
    text = readFileSync(join(rendererDir, INLINE_HASHES_FILE), 'utf8')
  } catch {
    // No hashes: the strict policy below.
  }
  return windowCsp(parseInlineHashes(text), 'header')
}

/**
 * The hook for windows that must navigate (the sign-in window walks through Zoho's pages): `allow` is asked about
 * every navigation and redirect of `contents`; everything else stays denied. Returns a function that revokes it.
 */
export function allowNavigation(contents: WebContents, allow: (url: string) => boolean): () => void {
  navigationRules.set(contents.id, allow)
  return () => navigationRules.delete(contents.id)
}

/** Is this navigation of `contents` allowed? Only where its window said so. */
export function mayNavigate(contents: Pick<WebContents, 'id'>, url: string): boolean {
  return navigationRules.get(contents.id)?.(url) ?? false
}

/**
 * The file under `rendererDir` for an `app://seat-tray/…` URL, or null for another host or a path that escapes
 * the folder (`..`, encoded or not).
 */
export function rendererFile(rendererDir: string, url: string): string | null {
  const u = parseUrl(url)
  if (!u) return null
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null
  let path: string
  try {
    path = decodeURIComponent(u.pathname)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  const root = resolve(rendererDir)
  const file = resolve(join(root, path === '/' ? 'index.html' : path))
  const rel = relative(root, file)
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep) || resolve(root, rel) !== file) return null
  return file
}

/** Our page or asset with its type and the CSP; 404 for anything else. */
export async function rendererResponse(rendererDir: string, url: string, csp: string): Promise<Response> {
  const file = rendererFile(rendererDir, url)
  const headers = { 'content-security-policy': csp, 'x-content-type-options': 'nosniff' }
  if (!file) return new Response('Not found', { status: 404, headers })
  try {
    const body = await readFile(file)
    return new Response(body, { headers: { ...headers, 'content-type': contentType(file) } })
  } catch {
    return new Response('Not found', { status: 404, headers })
  }
}

const navigationRules = new Map<number, (url: string) => boolean>()

function lockDown(contents: WebContents): void {
  // Links that want a new window go nowhere; the window opens help through the named links in external.ts.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!mayNavigate(contents, url)) event.preventDefault()
  }
  contents.on('will-navigate', guard)
  contents.on('will-redirect', guard)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.once('destroyed', () => navigationRules.delete(contents.id))
}

/** The window needs no camera, notifications API, clipboard reads or geolocation: say no to all of it. */
function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}
