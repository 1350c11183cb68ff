/**
 * The window in headless Chromium: how long from opening it to the first paint with the numbers on screen, and how
 * long the chart takes to draw a year of history downsampled to 500 points.
 *
 * Baselines, in the same run and the same browser: an empty page served the same way (the cost of opening any
 * window at all), the same window built with its script and stylesheet as separate files (the design before
 * renderer/vite.config.ts's inlineEntry), and the same 500 × 3 points drawn as bare canvas polylines (the cost of
 * the pixels alone).
 * Targets: first paint with data < 200 ms and within 1.5 × the empty page, the window complete within 2 × the empty
 * page, chart render < 16 ms (one frame).
 */

import { readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright'
import { build } from 'vite'
import { SEPARATE_FILES_MODE } from '../../renderer/vite.config'
import { chromiumLaunchOptions } from '../../test/helpers/chromium'
import { installFakeSeats } from '../../test/ui/fake-seats'
import { historyFor, scenario } from '../../test/ui/fixtures'
import { median, type Report, round } from '../report'

/** tsx (esbuild keepNames) wraps named functions in `__name(…)`; functions serialized into the page need it defined. */
const KEEP_NAMES_SHIM = 'globalThis.__name = (f) => f'

const LOADS = 15
const CHART_RENDERS = 15
const POINTS = 500

export async function run(report: Report): Promise<void> {
  const dir = report.scratchDir()
  await build({
    configFile: 'renderer/vite.config.ts',
    logLevel: 'silent',
    build: { outDir: dir, emptyOutDir: true },
  })
  await build({
    configFile: 'renderer/vite.config.ts',
    mode: SEPARATE_FILES_MODE,
    logLevel: 'silent',
    build: { outDir: join(dir, 'separate'), emptyOutDir: true },
  })
  await writeFile(
    join(dir, 'blank.html'),
    '<!doctype html><html><head><link rel="icon" href="data:,"></head><body></body></html>',
  )
  const server = await serve(dir)
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    const blank: number[] = []
    const window: number[] = []
    const complete: number[] = []
    const separate: number[] = []
    const separateComplete: number[] = []
    // Alternate, so both see the same machine load.
    for (let i = 0; i < LOADS; i++) {
      const [blankMs = Number.NaN] = await paintTimes(browser, `${base}blank.html`, ['load'])
      blank.push(blankMs)
      const [numbersMs = Number.NaN, completeMs = Number.NaN] = await paintTimes(browser, base, [
        'seats:data-rendered',
        'seats:window-complete',
      ])
      window.push(numbersMs)
      complete.push(completeMs)
      const [before = Number.NaN, beforeComplete = Number.NaN] = await paintTimes(
        browser,
        `${base}separate/`,
        ['seats:data-rendered', 'seats:window-complete'],
      )
      separate.push(before)
      separateComplete.push(beforeComplete)
    }
    const chart = await chartRenders(browser, base)

    const loadMs = median(window)
    const blankMs = median(blank)
    const completeMs = median(complete)
    const separateMs = median(separate)
    const separateCompleteMs = median(separateComplete)
    report.figure({ bench: 'renderer.first-paint-with-data', impl: 'window', ms: round(loadMs), runs: LOADS })
    report.figure({
      bench: 'renderer.window-complete',
      impl: 'window',
      ms: round(completeMs),
      runs: LOADS,
    })
    report.figure({
      bench: 'renderer.first-paint-with-data',
      impl: 'separate-files',
      ms: round(separateMs),
      runs: LOADS,
    })
    report.figure({
      bench: 'renderer.window-complete',
      impl: 'separate-files',
      ms: round(separateCompleteMs),
      runs: LOADS,
    })
    report.figure({
      bench: 'renderer.first-paint-with-data',
      impl: 'empty-page',
      ms: round(blankMs),
      runs: LOADS,
    })
    report.figure({
      bench: 'renderer.chart-render',
      impl: 'uplot-new',
      ms: round(chart.create),
      points: POINTS,
    })
    report.figure({
      bench: 'renderer.chart-render',
      impl: 'uplot-set-data',
      ms: round(chart.update),
      points: POINTS,
    })
    report.figure({ bench: 'renderer.history-open', impl: 'click-to-chart', ms: round(chart.open) })
    report.figure({
      bench: 'renderer.chart-render',
      impl: 'bare-canvas',
      ms: round(chart.bare),
      points: POINTS,
    })
    report.table(
      'Window in headless Chromium (median ms)',
      ['measure', 'ours', 'baseline', 'ratio'],
      [
        ['open → first paint with data', round(loadMs), round(blankMs), ratio(loadMs, blankMs)],
        ['open → window complete', round(completeMs), round(blankMs), ratio(completeMs, blankMs)],
        [
          '  the same, script and styles as files: first paint',
          round(separateMs),
          round(blankMs),
          ratio(separateMs, blankMs),
        ],
        [
          '  the same, script and styles as files: complete',
          round(separateCompleteMs),
          round(blankMs),
          ratio(separateCompleteMs, blankMs),
        ],
        [
          'chart, first draw, warmed (1 y, 500 pts)',
          round(chart.create),
          round(chart.bare),
          ratio(chart.create, chart.bare),
        ],
        [
          'chart, range switch redraw',
          round(chart.update),
          round(chart.bare),
          ratio(chart.update, chart.bare),
        ],
        ['History click → chart drawn (all of it)', round(chart.open), '–', '–'],
      ],
    )
    report.target(
      'window: first paint with data < 200 ms',
      loadMs < 200,
      `${round(loadMs)} ms (empty page ${round(blankMs)} ms)`,
    )
    // Relative to an empty page served the same way, so a slow shared machine does not decide the verdict.
    report.target(
      'window: first paint with data within 1.5 × an empty page',
      loadMs <= 1.5 * blankMs,
      `${ratio(loadMs, blankMs)} (${round(loadMs)} ms vs ${round(blankMs)} ms)`,
    )
    report.target(
      'window: complete within 2 × an empty page',
      completeMs <= 2 * blankMs,
      `${ratio(completeMs, blankMs)} (${round(completeMs)} ms vs ${round(blankMs)} ms)`,
    )
    report.target(
      'window: chart render of a year (500 points) < 16 ms',
      Math.max(chart.create, chart.update) < 16,
      `first draw ${round(chart.create)} ms, redraw ${round(chart.update)} ms (bare canvas ${round(chart.bare)} ms)`,
    )
  } finally {
    await browser.close()
    server.close()
  }
}

/**
 * ms from navigation start until the frame after each of `marks` (app marks, or `load` for the page's load event)
 * is painted, in the order given.
 *
 * The page hooks `performance.mark` so it asks for the frame in the same task as the mark, ahead of anything the app
 * schedules after it (the window completes itself right after its first frame); and it reports through the console
 * rather than being polled, since Playwright's polling runs its own script in the page and could land in between.
 */
async function paintTimes(browser: Browser, url: string, marks: string[]): Promise<number[]> {
  const page = await browser.newPage()
  await page.addInitScript(KEEP_NAMES_SHIM)
  await page.addInitScript(installFakeSeats, scenario())
  await page.addInitScript(
    ({ names, prefix }) => {
      const paintedAfter = (name: string) =>
        requestAnimationFrame(() => {
          // A message posted from a frame callback runs after that frame is painted.
          const channel = new MessageChannel()
          channel.port1.onmessage = () => console.debug(`${prefix}${name} ${performance.now()}`)
          channel.port2.postMessage(null)
        })
      if (names.includes('load')) addEventListener('load', () => paintedAfter('load'))
      const mark = performance.mark.bind(performance)
      performance.mark = (name, options) => {
        const entry = mark(name, options)
        if (names.includes(name)) paintedAfter(name)
        return entry
      }
    },
    { names: marks, prefix: PAINTED },
  )
  const times = new Map<string, number>()
  const allPainted = new Promise<void>((resolve) => {
    page.on('console', (message) => {
      const text = message.text()
      if (!text.startsWith(PAINTED)) return
      const [name = '', ms = ''] = text.slice(PAINTED.length).split(' ')
      times.set(name, Number(ms))
      if (marks.every((m) => times.has(m))) resolve()
    })
  })
  await page.goto(url)
  await allPainted
  await page.close()
  return marks.map((m) => times.get(m) ?? Number.NaN)
}

const PAINTED = 'seats-bench:painted '

async function chartRenders(
  browser: Browser,
  base: string,
): Promise<{ create: number; update: number; bare: number; open: number }> {
  const year = historyFor('acme', '1y', POINTS)
  const history = { '24h': year, '7d': year, '30d': { ...year, range: '30d' as const }, '1y': year }
  const create: number[] = []
  const update: number[] = []
  const bare: number[] = []
  const open: number[] = []
  for (let i = 0; i < CHART_RENDERS; i++) {
    const page = await browser.newPage({ viewport: { width: 420, height: 760 } })
    await page.addInitScript(KEEP_NAMES_SHIM)
    await page.addInitScript(installFakeSeats, scenario({ history }))
    await page.addInitScript(() =>
      addEventListener('click', () => performance.mark('bench:click'), { capture: true }),
    )
    await page.goto(base)
    // As a person would: the window is up and showing its numbers before History is opened, by which time the
    // window has loaded uPlot and drawn a chart nobody sees while idle (history.ts, warmUpChart). Without that
    // warm-up the first draw runs uPlot's code cold, about twice as long (13–18 ms against 6–7 ms on 2 busy cores).
    await page.waitForFunction(() => performance.getEntriesByName('seats:chart-warm').length > 0)
    await page.getByRole('tab', { name: 'History' }).click()
    create.push(await lastChartRender(page, 1))
    open.push(await sinceClick(page, 'seats:chart-drawn'))
    await page.getByRole('tab', { name: 'the last 30 days' }).click()
    update.push(await lastChartRender(page, 2))
    bare.push(await page.evaluate(drawBare, POINTS))
    await page.close()
  }
  return { create: median(create), update: median(update), bare: median(bare), open: median(open) }
}

async function lastChartRender(page: Page, count: number): Promise<number> {
  const handle = await page.waitForFunction((n) => {
    const entries = performance.getEntriesByName('seats:chart-render')
    return entries.length >= n ? entries[n - 1]?.duration : undefined
  }, count)
  return Number(await handle.jsonValue())
}

/**
 * ms from the click to a mark: opening History end to end, with the panel, the history query, the chart library's
 * load (if not loaded yet) and the first draw.
 */
async function sinceClick(page: Page, mark: string): Promise<number> {
  return page.evaluate((name) => {
    const click = performance.getEntriesByName('bench:click')[0]?.startTime ?? Number.NaN
    const reached = performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN
    return reached - click
  }, mark)
}

/** The floor: three 500-point polylines on a canvas the chart's size, no scales, axes or text. */
function drawBare(points: number): number {
  const canvas = document.createElement('canvas')
  canvas.width = 388 * devicePixelRatio
  canvas.height = 200 * devicePixelRatio
  document.body.append(canvas)
  const ctx = canvas.getContext('2d')!
  const start = performance.now()
  for (let s = 0; s < 3; s++) {
    ctx.beginPath()
    for (let i = 0; i < points; i++)
      ctx.lineTo((i / points) * canvas.width, ((s * 37 + i) % 200) * devicePixelRatio)
    ctx.stroke()
  }
  ctx.getImageData(0, 0, 1, 1)
  const ms = performance.now() - start
  canvas.remove()
  return ms
}

function ratio(ours: number, baseline: number): string {
  return baseline > 0 ? `${(ours / baseline).toFixed(2)}×` : 'n/a'
}

/** A loopback static server for the built window: a file server, nothing else. */
function serve(dir: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    )
    try {
      const body = await readFile(join(dir, path.endsWith('/') ? `${path}index.html` : path))
      res.writeHead(200, { 'content-type': types[extname(path) || '.html'] ?? 'application/octet-stream' })
      res.end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
