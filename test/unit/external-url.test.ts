import { describe, expect, it, vi } from 'vitest'

const openExternalCalls: string[] = []
vi.mock('electron', () => ({
  shell: {
    openExternal: async (url: string) => {
      openExternalCalls.push(url)
    },
  },
}))

const { HELP_LINKS, isAuthorizationUrl, isSafeExternalUrl, openExternal, openHelpLink } = await import(
  '../../main/platform/external'
)

describe('links the app may open in the system browser', () => {
  it('opens every named help link', async () => {
    for (const [name, url] of Object.entries(HELP_LINKS)) {
      expect(isSafeExternalUrl(url), name).toBe(true)
      await openHelpLink(name as keyof typeof HELP_LINKS)
    }
    expect(openExternalCalls).toEqual(Object.values(HELP_LINKS))
  })

  it("opens Zoho's API console in every data center", () => {
    for (const host of [
      'api-console.zoho.com',
      'api-console.zoho.eu',
      'api-console.zoho.com.au',
      'api-console.zohocloud.ca',
    ]) {
      expect(isSafeExternalUrl(`https://${host}/`), host).toBe(true)
    }
  })

  it("opens Zoho's developer and help pages, not any page on zoho.com", () => {
    expect(isSafeExternalUrl('https://www.zoho.com/crm/developer/docs/api/v8/scopes.html')).toBe(true)
    expect(isSafeExternalUrl('https://help.zoho.com/portal/en/kb/crm')).toBe(true)
    expect(isSafeExternalUrl('https://www.zoho.com/sites/someone/page.html')).toBe(false)
  })

  it("opens the org's Users page in Zoho CRM, and one user's page, in every data center, and nothing else there", () => {
    for (const url of [
      'https://crm.zoho.com/crm/org700000002/settings/users',
      'https://crm.zoho.eu/crm/org1/settings/users/4150868000000300001',
      'https://crm.zohocloud.ca/crm/org1/settings/users',
      'https://crm.zoho.com.au/crm/org1/settings/users',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(true)
    }
    for (const url of [
      'https://crm.zoho.com/crm/org1/tab/Leads/1',
      'https://crm.zoho.com/crm/org1/settings/users/../../../logout',
      'https://crm.zoho.com/crm/evil/settings/users',
      'https://crm.zoho.evil.example/crm/org1/settings/users',
      'http://crm.zoho.com/crm/org1/settings/users',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false)
    }
  })

  it('refuses anything that is not plain https to a known host', () => {
    for (const url of [
      'http://api-console.zoho.com/',
      'file:///etc/passwd',
      'smb://attacker/share',
      'javascript:alert(1)',
      'ms-msdt:/id PCWDiagnostic',
      'https://api-console.zoho.com.evil.example/',
      'https://evil.example/?https://api-console.zoho.com/',
      'https://user:pw@api-console.zoho.com/',
      'https://api-console.zoho.com:8443/',
      'https://github.com/seat-tray/seat-tray/issues',
      'not a url',
      '',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false)
    }
  })

  it('does not launch a refused link', async () => {
    openExternalCalls.length = 0
    expect(await openExternal('file:///etc/passwd')).toBe(false)
    expect(openExternalCalls).toEqual([])
  })

  it("opens a sign-in page only at a Zoho accounts server's authorization endpoint", () => {
    const strict = { allowLoopback: false }
    expect(isAuthorizationUrl('https://accounts.zoho.eu/oauth/v2/auth?client_id=x', strict)).toBe(true)
    expect(isAuthorizationUrl('https://accounts.zoho.eu/oauth/v2/token', strict)).toBe(false)
    expect(isAuthorizationUrl('https://accounts.zoho.evil/oauth/v2/auth', strict)).toBe(false)
    expect(isAuthorizationUrl('http://127.0.0.1:4000/oauth/v2/auth', strict)).toBe(false)
    expect(isAuthorizationUrl('http://127.0.0.1:4000/oauth/v2/auth', { allowLoopback: true })).toBe(true)
  })
})
