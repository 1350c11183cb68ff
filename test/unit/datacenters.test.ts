import { describe, expect, it } from 'vitest'
import {
  DATA_CENTERS,
  dataCenterForAccountsServer,
  trustedAccountsServer,
  trustedApiDomain,
  UntrustedHostError,
} from '../../main/core/zoho/datacenters'

const strict = { allowLoopback: false }
const demo = { allowLoopback: true }

describe('Zoho data centers', () => {
  it('knows every data center Zoho runs CRM in, with the UK marked unconfirmed', () => {
    expect(DATA_CENTERS.map((d) => d.id).sort()).toEqual([
      'AU',
      'CA',
      'CN',
      'EU',
      'IN',
      'JP',
      'SA',
      'UK',
      'US',
    ])
    expect(DATA_CENTERS.filter((d) => !d.confirmed).map((d) => d.id)).toEqual(['UK'])
    expect(DATA_CENTERS.filter((d) => d.separateSignIn).map((d) => d.id)).toEqual(['CN'])
  })

  it('finds the data center a sign-in redirect names, ignoring case and a trailing slash', () => {
    expect(dataCenterForAccountsServer('https://accounts.zoho.in')?.id).toBe('IN')
    expect(dataCenterForAccountsServer('https://Accounts.Zohocloud.CA/')?.id).toBe('CA')
    expect(dataCenterForAccountsServer('https://accounts.zoho.in.evil.example')).toBeUndefined()
  })

  it('accepts every known accounts server and API domain', () => {
    for (const d of DATA_CENTERS) {
      expect(trustedAccountsServer(d.accountsServer, strict)).toBe(d.accountsServer)
      expect(trustedApiDomain(d.apiDomain, strict)).toBe(d.apiDomain)
    }
    expect(trustedApiDomain('https://sandbox.zohoapis.eu', strict)).toBe('https://sandbox.zohoapis.eu')
  })

  it('refuses look-alike, downgraded or decorated hosts before any secret is sent', () => {
    for (const bad of [
      'https://accounts.zoho.com.evil.example',
      'http://accounts.zoho.com',
      'https://accounts.zoho.com@evil.example',
      'https://user:pw@accounts.zoho.com',
      'https://accounts.zoho.com/oauth',
      'https://evilzoho.com',
      'javascript:alert(1)',
      '',
    ]) {
      expect(() => trustedAccountsServer(bad, strict), bad).toThrow(UntrustedHostError)
    }
    expect(() => trustedApiDomain('https://www.zohoapis.com.evil.example', strict)).toThrow(
      UntrustedHostError,
    )
    expect(() => trustedApiDomain('https://sandbox.zohoapis.nowhere', strict)).toThrow(UntrustedHostError)
  })

  it('accepts the loopback simulator only when the caller enabled it', () => {
    expect(() => trustedAccountsServer('http://127.0.0.1:4100', strict)).toThrow(UntrustedHostError)
    expect(trustedAccountsServer('http://127.0.0.1:4100', demo)).toBe('http://127.0.0.1:4100')
    expect(trustedApiDomain('http://localhost:4100/', demo)).toBe('http://localhost:4100')
    expect(() => trustedApiDomain('https://127.0.0.1:4100', demo)).toThrow(UntrustedHostError)
    expect(() => trustedApiDomain('http://10.0.0.1', demo)).toThrow(UntrustedHostError)
  })

  it('holds Zoho’s accounts servers and API hosts to one rule: the default https port only', () => {
    expect(trustedAccountsServer('https://accounts.zoho.com:443', strict)).toBe('https://accounts.zoho.com')
    expect(trustedApiDomain('https://www.zohoapis.com:443', strict)).toBe('https://www.zohoapis.com')
    expect(trustedApiDomain('https://sandbox.zohoapis.com:443', strict)).toBe('https://sandbox.zohoapis.com')
    for (const bad of ['https://accounts.zoho.com:8443', 'https://accounts.zoho.eu:444']) {
      expect(() => trustedAccountsServer(bad, strict), bad).toThrow(UntrustedHostError)
      expect(() => trustedAccountsServer(bad, demo), bad).toThrow(UntrustedHostError)
    }
    for (const bad of [
      'https://sandbox.zohoapis.com:444',
      'https://developer.zohoapis.eu:8443',
      'https://www.zohoapis.com:444',
    ]) {
      expect(() => trustedApiDomain(bad, strict), bad).toThrow(UntrustedHostError)
      expect(() => trustedApiDomain(bad, demo), bad).toThrow(UntrustedHostError)
    }
  })
})
