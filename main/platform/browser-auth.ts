/**
 * Sign-in in the system browser (for single sign-on that refuses embedded windows): the AuthBrowser port over the
 * loopback listener in core/loopback-redirect.ts. `open` is the app's checked door to the browser,
 * `openAuthorizationPage(url, policy)` from platform/external.ts, given each sign-in's own policy, so this file needs no electron import.
 */
import { signInWithSystemBrowser } from '../core/loopback-redirect'
import type { AuthBrowser, AuthRequest, Clock } from '../core/ports'
import type { HostPolicy } from '../core/zoho/datacenters'

export interface SystemBrowserAuthOptions {
  /** Opens the page in the browser, if this sign-in's policy lets it (see openAuthorizationPage). */
  open(url: string, policy: Readonly<HostPolicy>): Promise<void>
  timeoutMs?: number
  clock?: Clock
}

export class SystemBrowserAuth implements AuthBrowser {
  constructor(private readonly options: SystemBrowserAuthOptions) {}

  authorize({ url, redirectUri, signal, hostPolicy }: AuthRequest): Promise<string> {
    return signInWithSystemBrowser({
      ...this.options,
      url,
      redirectUri,
      signal,
      open: (page) => this.options.open(page, hostPolicy),
    })
  }
}
