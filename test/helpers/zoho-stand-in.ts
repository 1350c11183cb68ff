/**
 * A hostile stand-in for Zoho on real loopback HTTP: its accounts server hands out tokens as Zoho does, and its CRM
 * answers whatever a test scripts (an empty 200, a captive portal's page, a gzip bomb, a month-long Retry-After),
 * counting every request so a test can prove the app never storms it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { userLicensesBody } from '../../main/demo/crm'

/** Writes the CRM's answer to the `n`th CRM request (from 1). */
export type CrmScript = (res: ServerResponse, n: number, req: IncomingMessage) => void

export interface StandIn {
  origin: string
  client: { clientId: string; clientSecret: string }
  refreshToken: string
  /** CRM requests seen so far (the org call included). */
  crmRequests(): number
  /** License-count requests only (`__features/user_licenses`). */
  licenseRequests(): number
  tokenRequests(): number
  /** Answers every token request with Zoho's throttle ("Access Denied", status failure, HTTP 200) while on. */
  throttleTokens(on: boolean): void
  /** Requests that have arrived and not been answered yet. */
  inFlight(): number
  /** Changes what the CRM answers from the next request on. */
  script(next: CrmScript): void
  close(): Promise<void>
}

/** Zoho's good answer: 25 purchased, 20 active, 5 free. */
export const goodLicenses: CrmScript = (res) =>
  json(res, 200, userLicensesBody({ purchased: 25, active: 20 }, false))

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers })
  res.end(JSON.stringify(body))
}

export async function startStandIn(initial: CrmScript = goodLicenses): Promise<StandIn> {
  let crm = initial
  let crmCount = 0
  let licenseCount = 0
  let tokenCount = 0
  let open = 0
  let throttled = false
  const refreshToken = '1000.standin-refresh'
  const server = createServer((req, res) => {
    open++
    res.on('close', () => open--)
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/oauth/v2/token') {
      tokenCount++
      req.resume()
      if (throttled) {
        return json(res, 200, {
          error_description:
            'You have made too many requests continuously. Please try again after some time.',
          error: 'Access Denied',
          status: 'failure',
        })
      }
      return json(res, 200, {
        access_token: `1000.access-${tokenCount}`,
        api_domain: origin,
        token_type: 'Bearer',
        expires_in: 3600,
      })
    }
    if (path === '/oauth/v2/token/revoke') return json(res, 200, { status: 'success' })
    if (path.startsWith('/crm/')) {
      crmCount++
      if (path.endsWith('/org')) {
        return json(res, 200, { org: [{ id: '1', company_name: 'Acme Ltd', license_details: null }] })
      }
      licenseCount++
      return crm(res, licenseCount, req)
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    client: { clientId: '1000.STANDIN', clientSecret: 'standin-secret' },
    refreshToken,
    crmRequests: () => crmCount,
    licenseRequests: () => licenseCount,
    tokenRequests: () => tokenCount,
    throttleTokens: (on) => {
      throttled = on
    },
    inFlight: () => open,
    script: (next) => {
      crm = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
