/**
 * The one redirect URI both sign-in paths use, shown to the admin to register in Zoho's API console.
 * Zoho matches redirect URIs exactly, so the port is fixed (it cannot float like RFC 8252 would allow).
 */
export const REDIRECT_PORT = 47813
export const REDIRECT_PATH = '/oauth/callback'
export const REDIRECT_URI = `http://127.0.0.1:${REDIRECT_PORT}${REDIRECT_PATH}`

/**
 * Read license counts, the org's name and renewal dates, and (optional) who holds the seats. Zoho has no optional
 * scopes, so all three are asked at once; a sign-in made before the third was asked keeps working without it
 * (the users calls then answer OAUTH_SCOPE_MISMATCH, and the engine offers a new consent instead of an error).
 */
export const USERS_SCOPE = 'ZohoCRM.users.READ'
export const SCOPES = ['ZohoCRM.features.READ', 'ZohoCRM.org.READ', USERS_SCOPE] as const
/** Why the third scope is asked, in one line for the sign-in screen. */
export const USERS_SCOPE_REASON = 'to show who holds your seats'
