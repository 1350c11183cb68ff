/**
 * The one URL parser: a URL, or undefined for text that is not one. Every check of where Seat Tray may go or what
 * it may trust (Zoho's hosts, the redirect, the window's own pages, links it opens) starts from this, so none of
 * them throws on a hostile string or parses it differently.
 */
export function parseUrl(text: string, base?: string): URL | undefined {
  try {
    return new URL(text, base)
  } catch {
    return undefined
  }
}
