/**
 * PKCE (RFC 7636) for Zoho's "Mobile-based" client type: a one-time verifier stays with us, its S256 hash goes in
 * the authorize URL, so a code caught on its way back is useless without the verifier.
 */
import { createHash } from 'node:crypto'

/** Random bytes; injectable so tests can pin the verifier and state. */
export type RandomBytes = (n: number) => Uint8Array

export const secureRandom: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n))

/** 32 random bytes → 43 base64url characters, the shortest verifier RFC 7636 allows and plenty of entropy. */
export function createVerifier(random: RandomBytes = secureRandom): string {
  return base64url(random(32))
}

export function challengeFor(verifier: string): string {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) {
    throw new Error('A PKCE verifier is 43–128 characters of A–Z a–z 0–9 - . _ ~')
  }
  return base64url(createHash('sha256').update(verifier, 'ascii').digest())
}

/** An unguessable value for OAuth's `state`, tying the redirect to the sign-in that started it. */
export function createState(random: RandomBytes = secureRandom): string {
  return base64url(random(16))
}

export function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}
