/**
 * Tray badge: what a tray update costs. Each new (number, tone) composites the glyph sheets onto the tone's shape and
 * PNG-encodes four scale factors; a repeat
 * is a cache lookup. The baseline in the same run is the uncached draw, i.e. what every tray update would cost
 * without the cache (polls re-render the same badge far more often than the number changes).
 */
import type { Tone } from '../../common/model'
import { BADGE_SCALES, renderBadgePng } from '../../main/platform/badge-icon'
import { median, type Report, round } from '../report'

const TONES: Tone[] = ['ok', 'low', 'out', 'error', 'signed-out', 'offline', 'stale']
const TEXTS = [...Array.from({ length: 100 }, (_, n) => String(n)), '99+']
/**
 * A tray update must not be felt: a new count, drawn from the glyph sheets at all four scales, in under 1 ms.
 * The sheets are decoded and each tone's shape drawn once, on the first badge (see the warm-up below).
 */
const COLD_TARGET_MS = 1
const CACHED_TARGET_MS = 0.05

export async function run(report: Report): Promise<void> {
  // Every (text, tone) pair is new the first time: that is the uncached cost of one tray update (four scales).
  const cold: number[] = []
  // The first badge of a run decodes the glyph sheets and draws each tone's shape: once per process, not per update.
  const warmUp = time(() => {
    for (const tone of TONES) renderAllScales(' ', tone)
  })
  report.figure({ bench: 'badge.warm-up', impl: 'sheets+shapes', ms: round(warmUp) })
  for (const tone of TONES) {
    for (const text of TEXTS) cold.push(time(() => renderAllScales(text, tone)))
  }
  const cached: number[] = []
  for (let pass = 0; pass < 5; pass++) {
    for (const tone of TONES) {
      for (const text of TEXTS) cached.push(time(() => renderAllScales(text, tone)))
    }
  }
  const coldMedian = median(cold)
  const coldWorst = Math.max(...cold)
  const cachedMedian = median(cached)
  report.figure({ bench: 'badge.render', impl: 'uncached', badges: cold.length, ms: round(coldMedian) })
  report.figure({ bench: 'badge.render', impl: 'cached', badges: cached.length, ms: round(cachedMedian) })
  report.table(
    'Tray badge: one update = four scale factors (1, 1.25, 1.5, 2), median ms',
    ['impl', 'badges', 'median ms', 'worst ms'],
    [
      ['uncached draw + PNG encode (baseline)', cold.length, round(coldMedian), round(coldWorst)],
      ['cached (ours)', cached.length, round(cachedMedian), round(Math.max(...cached))],
    ],
  )
  report.target(
    `a new badge draws in under ${COLD_TARGET_MS} ms`,
    coldMedian < COLD_TARGET_MS,
    `median ${round(coldMedian)} ms`,
  )
  report.target(
    `a repeated badge costs under ${CACHED_TARGET_MS} ms`,
    cachedMedian < CACHED_TARGET_MS,
    `median ${round(cachedMedian)} ms (${round(coldMedian / Math.max(cachedMedian, 1e-6))}× faster than drawing)`,
  )
}

function renderAllScales(text: string, tone: Tone): void {
  for (const scale of BADGE_SCALES) renderBadgePng(text, tone, scale)
}

function time(work: () => void): number {
  const start = performance.now()
  work()
  return performance.now() - start
}
