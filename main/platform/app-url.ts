/**
 * Where the window's own pages live: a privileged custom scheme (`app://seat-tray/…`) instead of file://, so the
 * window has a real origin that IPC and navigation checks can match. Pure, shared by security, windows and ipc.
 */
import { parseUrl } from '../core/url'
export const APP_SCHEME = 'app'
export const APP_HOST = 'seat-tray'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/**
 * Is `url` one of our pages? Parsed with URL and compared by scheme and host (a non-special scheme's `origin` is
 * the string "null", so comparing origins would match nothing or everything). `devServer` is electron-vite's
 * renderer dev server, trusted only when main was started by `electron-vite dev`.
 */
export function isAppUrl(url: string, devServer?: string): boolean {
  const u = parseUrl(url)
  if (!u || u.username || u.password) return false
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true
  const dev = devServer ? parseUrl(devServer) : undefined
  return !!dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && u.origin === dev.origin
}
