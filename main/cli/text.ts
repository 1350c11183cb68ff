/**
 * Text from outside (an org name, an argument) on a line a monitoring system parses: one line, no `|` (which starts
 * perfdata), no control characters. Stand-in until main/core/text.ts's singleLine() lands; then use that one.
 */
export function singleLine(text: string, max = 200): string {
  const flat = text
    .replace(/[\p{Cc}\u2028\u2029|]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
