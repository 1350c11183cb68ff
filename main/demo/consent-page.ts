/**
 * The simulator's stand-in for Zoho's consent screen: who is asking, for what, and Accept / Reject.
 * Playwright clicks `#accept` or `#reject`; a person in demo mode sees a plain, readable page.
 */

export const SCOPE_WORDS: Record<string, string> = {
  'zohocrm.features.read': 'Read your CRM features and licence counts',
  'zohocrm.org.read': 'Read your organisation details',
}

export function consentPage(o: { consentId: string; orgName: string; scopes: readonly string[] }): string {
  const items = o.scopes
    .map((s) => `<li><code>${escapeHtml(s)}</code> ${escapeHtml(SCOPE_WORDS[s.toLowerCase()] ?? '')}</li>`)
    .join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Zoho Accounts (simulated) – Allow access</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1b1b1b; }
button { font: inherit; padding: .5rem 1.25rem; margin-right: .5rem; border-radius: .25rem; border: 1px solid #555; }
#accept { background: #0b5cad; color: #fff; border-color: #0b5cad; }
</style>
</head>
<body>
<main>
<h1>Allow Seat Tray to access ${escapeHtml(o.orgName)}?</h1>
<p>This is the Seat Tray Zoho simulator, not Zoho. Seat Tray asks to:</p>
<ul>${items}</ul>
<form method="post" action="/oauth/v2/auth/consent">
<input type="hidden" name="consent" value="${escapeHtml(o.consentId)}">
<button id="accept" type="submit" name="decision" value="accept">Accept</button>
<button id="reject" type="submit" name="decision" value="reject">Reject</button>
</form>
</main>
</body>
</html>`
}

/** A page for requests Zoho refuses without redirecting (unknown client, unregistered redirect URI). */
export function errorPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
