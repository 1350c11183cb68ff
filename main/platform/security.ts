/**
 * The Electron security checklist, applied once for the whole app: sandboxed, isolated windows; our pages served
 * from `app://seat-tray/` with a CSP header; no new windows, no navigation away, no permissions, for every
 * webContents and every session, unless a window explicitly allows a destination (the sign-in window does).
 */
import { readFile } from 'node:fs/promises'
import { extname, join, relative, resolve, sep } from 'node:path'
import { type App, protocol, type Session, type WebContents } from 'electron'
import { parseUrl } from '../core/url'
import { APP_HOST, APP_SCHEME } from './app-url'

/** The same policy as renderer/index.html's meta tag, sent as a header too (a header also covers non-HTML files). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

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
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request.url))
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
export async function rendererResponse(rendererDir: string, url: string): Promise<Response> {
  const file = rendererFile(rendererDir, url)
  const headers = { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' }
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
