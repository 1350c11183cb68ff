/**
 * The one redirect URI both sign-in paths use, shown to the admin to register in Zoho's API console.
 * Zoho matches redirect URIs exactly, so the port is fixed (it cannot float like RFC 8252 would allow).
 */
export const REDIRECT_PORT = 47813
export const REDIRECT_PATH = '/oauth/callback'
export const REDIRECT_URI = `http://127.0.0.1:${REDIRECT_PORT}${REDIRECT_PATH}`

/** Read license counts, and the org's name and renewal dates. */
export const SCOPES = ['ZohoCRM.features.READ', 'ZohoCRM.org.READ'] as const
