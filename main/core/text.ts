/**
 * Text that comes from outside (an org's name, as Zoho sends it) on its way into a line format: the tooltip, the
 * tray menu, the CLI's status line and perfdata, a CSV cell. The rules live here, once, so that a name can never
 * add a line, a perfdata field or a spreadsheet formula wherever it is shown.
 */

/**
 * Line breaks and every other control character (C0, DEL, C1 such as NEL), Unicode's line and paragraph
 * separators, and the bidi overrides and isolates that can make a name read backwards.
 */
const BREAKS_AND_CONTROLS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]+/gu

/**
 * `text` as one line of at most `maxLength` UTF-16 units: controls and line breaks become a space, runs of
 * whitespace one space, `|` (where monitoring systems start performance data) a `/`, and a longer text is cut with
 * `…`. Never splits a surrogate pair. An empty result stays empty: the caller knows what to show instead.
 */
export function singleLine(text: string, maxLength: number): string {
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError('maxLength must be at least 1')
  // A 50 MB name is cut before the regular expressions run, so a hostile name costs no more than a long one.
  const head = text.length > maxLength * 4 + 16 ? text.slice(0, maxLength * 4 + 16) : text
  const flat = head.replace(BREAKS_AND_CONTROLS, ' ').replaceAll('|', '/').replace(/\s+/g, ' ').trim()
  if (flat.length <= maxLength && head.length === text.length) return flat
  if (flat.length <= maxLength - 1) return `${flat}…`
  let cut = maxLength - 1
  if (isHighSurrogate(flat.charCodeAt(cut - 1))) cut--
  return `${flat.slice(0, cut).trimEnd()}…`
}

/**
 * One CSV cell holding outside text (RFC 4180): always quoted, `"` doubled, on one line. A cell a spreadsheet would
 * run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, per OWASP's CSV injection advice)
 * gets a leading `'`, so Excel, LibreOffice and Sheets show it as text.
 */
export function csvText(text: string, maxLength = 200): string {
  const line = singleLine(text, maxLength)
  const inert = /^[=+\-@\t\r]/.test(line) ? `'${line}` : line
  return `"${inert.replaceAll('"', '""')}"`
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}
