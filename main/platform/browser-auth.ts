/**
 * Sign-in in the system browser (for single sign-on that refuses embedded windows): the AuthBrowser port over the
 * loopback listener in core/loopback-redirect.ts. `open` is the app's checked door to the browser,
 * `(url) => openAuthorizationPage(url, policy)` from platform/external.ts, so this file needs no electron import.
 */
import { signInWithSystemBrowser } from '../core/loopback-redirect'
import type { AuthBrowser, Clock } from '../core/ports'

export interface SystemBrowserAuthOptions {
  open(url: string): Promise<void>
  timeoutMs?: number
  clock?: Clock
}

export class SystemBrowserAuth implements AuthBrowser {
  constructor(private readonly options: SystemBrowserAuthOptions) {}

  authorize(request: { url: string; redirectUri: string; signal: AbortSignal }): Promise<string> {
    return signInWithSystemBrowser({ ...this.options, ...request })
  }
}
