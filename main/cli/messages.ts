/**
 * What a failed check says on a monitoring screen: what happened and what to change on this host. The desktop app's
 * sentences ("Sign in again", "Seat Tray will try again shortly") do not apply to a command run by a scheduler, so
 * every problem the engine can report has its own sentence here, and only here.
 */
import type { ProblemKind } from '../../common/problems'

const SENTENCES: Record<ProblemKind, string> = {
  'signed-out': 'No refresh token to use. Put one in ZOHO_REFRESH_TOKEN.',
  'reauth-needed':
    'Zoho no longer accepts the refresh token in ZOHO_REFRESH_TOKEN (revoked, expired or from another client). Make a new one and put it there.',
  'scope-missing':
    'The refresh token may not read license counts. Make a new one with the scopes ZohoCRM.features.READ,ZohoCRM.org.READ.',
  'no-permission':
    'The Zoho user behind the refresh token may not read license counts. Make the token as a CRM administrator.',
  'invalid-client':
    'Zoho rejected ZOHO_CLIENT_ID or ZOHO_CLIENT_SECRET at ZOHO_ACCOUNTS_SERVER. Check both, and that the accounts server is the org’s data center.',
  'token-throttled':
    'Zoho refuses new access tokens for now (more than 10 in 10 minutes for this refresh token). It clears by itself within about 15 minutes; keep the token cache on.',
  'rate-limited': 'Zoho’s CRM API asked for fewer calls. Check less often.',
  'server-error':
    'Zoho’s servers answered with an error. Usually gone by the next check; see status.zoho.com if not.',
  'not-found':
    'Zoho’s API did not know the address asked: usually the wrong data center. Set ZOHO_ACCOUNTS_SERVER to the org’s (e.g. accounts.zoho.eu).',
  timeout: 'Zoho did not answer in time. Check this host’s network, or raise -t.',
  unreachable: 'Zoho could not be reached from this host. Check DNS, the firewall and outbound HTTPS.',
  offline: 'This host is offline.',
  'bad-response': 'Zoho sent an answer that could not be read. Usually gone by the next check.',
  'no-license-data': 'Zoho returned no license data for this org.',
  'untrusted-host':
    'ZOHO_ACCOUNTS_SERVER or ZOHO_API_DOMAIN is not a Zoho host, so nothing was sent to it. Use a Zoho host such as accounts.zoho.eu (ZOHO_ALLOW_LOOPBACK=1 only for the simulator).',
  'sign-in-cancelled': 'Sign-in was cancelled.',
  'sign-in-failed': 'Sign-in did not finish.',
  'too-large':
    'The answer was larger than Seat Tray reads (1 MiB): not Zoho’s. Check for a proxy or filter in front of this host.',
  'garbled-answer':
    'The answer arrived broken (bad chunking or compression). Usually a proxy in the way; check the next run.',
  'not-zoho':
    'Something other than Zoho answered (a web page where Zoho’s JSON should be): a proxy, captive portal or filter. Check this host’s outbound HTTPS.',
  'disk-error':
    'A file this command keeps could not be written (disk full or not allowed). Check --data-dir or the cache folder.',
}

/** One sentence, with the engine's technical detail (a Zoho code, an HTTP status; never a secret) in brackets. */
export function cliSentence(p: { kind: ProblemKind; detail?: string | undefined }): string {
  return p.detail ? `${SENTENCES[p.kind]} (${p.detail})` : SENTENCES[p.kind]
}
