/**
 * The window's Content-Security-Policy, in one place. The build writes it into index.html's meta tag with the hashes
 * of the one script and the one stylesheet it inlines there (the window paints from a single file: each extra file
 * cost 15–20 ms before the first paint), and main sends the same policy as a header, plus `frame-ancestors`, which a
 * meta tag cannot carry.
 */

/** The `'sha256-…'` sources of the inline script and style the built index.html carries. */
export interface InlineHashes {
  scripts: string[]
  styles: string[]
}

/** Where the build leaves the hashes for main, next to index.html. */
export const INLINE_HASHES_FILE = 'inline-hashes.json'

export const NO_INLINE: InlineHashes = { scripts: [], styles: [] }

export function windowCsp(inline: InlineHashes, where: 'meta' | 'header'): string {
  return [
    "default-src 'none'",
    ["script-src 'self'", ...inline.scripts].join(' '),
    ["style-src 'self'", ...inline.styles].join(' '),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(where === 'header' ? ["frame-ancestors 'none'"] : []),
  ].join('; ')
}

/** The hashes file's content, or none (and so no inline code runs) when it is missing or not what the build writes. */
export function parseInlineHashes(text: string): InlineHashes {
  try {
    const value = JSON.parse(text) as Partial<InlineHashes>
    const valid = (list: unknown): list is string[] =>
      Array.isArray(list) && list.every((s) => typeof s === 'string' && HASH_SOURCE.test(s))
    return valid(value.scripts) && valid(value.styles)
      ? { scripts: value.scripts, styles: value.styles }
      : NO_INLINE
  } catch {
    return NO_INLINE
  }
}

const HASH_SOURCE = /^'sha256-[A-Za-z0-9+/]{43}='$/
