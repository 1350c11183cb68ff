/**
 * History: available / active / purchased over a chosen range (uPlot), the events that mattered marked on the chart
 * and listed in words, and CSV export of the same range.
 */
import type uPlot from 'uplot'
import type { HistoryEvent, HistoryRange, HistorySeries } from '../../common/model'
import { h, replaceKeepingFocus, tabList } from './dom'
import { clockTime, dateTime, exportOutcomeText, lazy, num, seats } from './format'
import type { Ctx, Panel } from './panel'

/** The chart never needs more points than it has pixels; the core downsamples to this. */
export const MAX_CHART_POINTS = 500

const RANGES: { value: HistoryRange; label: string; words: string }[] = [
  { value: '24h', label: '24 h', words: 'the last 24 hours' },
  { value: '7d', label: '7 d', words: 'the last 7 days' },
  { value: '30d', label: '30 d', words: 'the last 30 days' },
  { value: '1y', label: '1 y', words: 'the last year' },
]

export function historyPanel(ctx: Ctx): Panel {
  const tabs = h('div', { class: 'range-row' })
  const chartBox = h('div', { class: 'chart', id: 'chart', role: 'img', 'aria-label': 'Loading history…' })
  // The lines and the event markers, named: the chart's own summary (aria-label) says the same for screen readers.
  const legend = h(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    h('li', { class: 'series-available' }, 'Available'),
    h('li', { class: 'series-active' }, 'Active'),
    h('li', { class: 'series-purchased' }, 'Purchased'),
    h('li', { class: 'event-ran-out' }, 'Ran out'),
    h('li', { class: 'event-freed' }, 'Seats freed'),
    h('li', { class: 'event-purchased-changed' }, 'Purchase changed'),
  )
  const events = h('div', { class: 'events' })
  const exportResult = h('span', { class: 'export-result', id: 'export-result', role: 'status' })
  const exportButton = h(
    'button',
    { type: 'button', id: 'export-csv', onclick: () => void exportCsv() },
    'Export CSV',
  )
  const element = h(
    'div',
    { class: 'history' },
    tabs,
    h(
      'figure',
      { id: 'history-figure', role: 'tabpanel', 'aria-labelledby': `range-${ctx.range}` },
      chartBox,
      legend,
    ),
    events,
    h('div', { class: 'export-row' }, exportButton, exportResult),
  )

  const library = preloadChartLibrary()
  let chart: uPlot | null = null
  let measuring = false
  let loadedKey = ''
  let request = 0
  // The draw hook reads these, so a redraw (resize, theme) marks the events of the data on screen.
  let currentEvents: HistoryEvent[] = []
  let currentRange: HistoryRange = ctx.range

  const update = () => {
    replaceKeepingFocus(
      tabs,
      tabList(
        'History range',
        RANGES.map((r) => ({ value: r.value, label: r.label, id: `range-${r.value}`, ariaLabel: r.words })),
        ctx.range,
        'history-figure',
        (range) => ctx.setRange(range),
        'tabs ranges',
      ),
    )
    element.querySelector('figure')?.setAttribute('aria-labelledby', `range-${ctx.range}`)
    const account = ctx.account
    const key = `${account?.id}:${ctx.range}:${account?.latest?.at ?? ''}`
    if (account && key !== loadedKey) {
      loadedKey = key
      void load(account.id, ctx.range)
    }
  }

  async function load(accountId: string, range: HistoryRange): Promise<void> {
    const mine = ++request
    chartBox.setAttribute('aria-busy', 'true')
    const [series, UPlot] = await Promise.all([
      ctx.seats.getHistory({ accountId, range, maxPoints: MAX_CHART_POINTS }),
      library,
    ])
    if (mine !== request) return
    chartBox.removeAttribute('aria-busy')
    draw(series, UPlot)
  }

  function draw(series: HistorySeries, UPlot: typeof uPlot): void {
    chartBox.setAttribute('aria-label', chartSummary(series))
    replaceKeepingFocus(events, ...eventList(series.events))
    if (series.points.length === 0) {
      chart?.destroy()
      chart = null
      chartBox.replaceChildren(h('p', { class: 'empty' }, 'No readings in this range yet.'))
      return
    }
    currentEvents = series.events
    currentRange = series.range
    // Read the width (a layout of the panel) before timing starts: that is the panel's cost, not the chart's.
    const width = chartBox.clientWidth || 360
    measuring = true
    performance.mark('seats:chart-start')
    const data = toColumns(series)
    if (chart && chart.series.length === 4) {
      chart.batch(() => {
        chart?.setData(data)
        chart?.setScale('x', { min: series.from / 1000, max: series.to / 1000 })
      })
    } else {
      chartBox.replaceChildren()
      chart = new UPlot(chartOptions(series, width), data, chartBox)
    }
  }

  function chartOptions(series: HistorySeries, width: number): uPlot.Options {
    const color = cssColors()
    const axis: uPlot.Axis = {
      stroke: color.text,
      grid: { stroke: color.grid, width: 1 },
      ticks: { stroke: color.grid, width: 1 },
      font: CHART_FONT,
    }
    return {
      width,
      height: 200,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: () => [series.from / 1000, series.to / 1000] } },
      series: [
        {},
        { label: 'Available', stroke: color.available, width: 2, fill: color.availableFill },
        { label: 'Active', stroke: color.active, width: 1.5 },
        // A plain line: purchased is a count like the others, not a threshold.
        { label: 'Purchased', stroke: color.purchased, width: 1.5 },
      ],
      axes: [
        { ...axis, size: 40, values: (_u, ticks) => tickLabels(ticks, currentRange) },
        { ...axis, size: 40, values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? num(v) : '')) },
      ],
      hooks: {
        draw: [
          (u) => {
            drawEvents(u, currentEvents, color)
            // Measure new data reaching the screen, not the redraws a resize causes.
            if (!measuring) return
            measuring = false
            chartsDrawn++
            performance.mark('seats:chart-drawn')
            performance.measure('seats:chart-render', 'seats:chart-start', 'seats:chart-drawn')
          },
        ],
      },
    }
  }

  async function exportCsv(): Promise<void> {
    const account = ctx.account
    if (!account) return
    exportResult.textContent = 'Choose where to save…'
    try {
      const result = await ctx.seats.exportCsv({ accountId: account.id, range: ctx.range })
      exportResult.textContent = exportOutcomeText(result)
    } catch {
      exportResult.textContent = 'The CSV could not be saved. Try another folder.'
    }
  }

  const resize = new ResizeObserver(() => {
    if (chart && chartBox.clientWidth > 0 && chartBox.clientWidth !== chart.width)
      chart.setSize({ width: chartBox.clientWidth, height: 200 })
  })
  resize.observe(chartBox)
  update()
  return {
    element,
    update,
    destroy: () => {
      resize.disconnect()
      chart?.destroy()
    },
  }
}

/**
 * The chart library, loaded once: not with the window, so the overview paints without it, but as soon as the
 * overview is complete (the window asks while idle) or History opens, whichever comes first.
 */
export function preloadChartLibrary(): Promise<typeof uPlot> {
  chartLibrary ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([library]) => {
    // The axis labels' date formatters too: building them was a few ms of the first draw.
    for (const range of RANGES) tickLabel(0, range.value)
    return library.default
  })
  return chartLibrary
}

let chartLibrary: Promise<typeof uPlot> | undefined

/**
 * While the window is idle, loads the chart library and draws one small chart nobody sees. The first chart a window
 * draws otherwise runs uPlot's code cold (interpreted, no type feedback) and shapes canvas text for the first time,
 * which was most of that draw's time. Skipped if a real chart got there first. Marks `seats:chart-warm` when done.
 */
export async function warmUpChart(): Promise<void> {
  const UPlot = await preloadChartLibrary()
  if (chartsDrawn > 0) {
    performance.mark('seats:chart-warm')
    return
  }
  // Real timestamps (seconds since 1970, beyond small integers) so V8 learns the types the real data has.
  const now = Date.now() / 1000
  const days = Array.from({ length: 60 }, (_, i) => now - (60 - i) * 86_400)
  const counts = days.map((_, i) => 20 + (i % 7))
  const axis: uPlot.Axis = {
    font: CHART_FONT,
    values: (_u, ticks) => ticks.map((t) => tickLabel(t * 1000, '1y')),
  }
  const chart = new UPlot(
    {
      width: 200,
      height: 100,
      legend: { show: false },
      scales: { x: { time: true } },
      series: [
        {},
        { stroke: 'currentColor', width: 2, fill: 'transparent' },
        { stroke: 'currentColor', width: 1.5 },
        { stroke: 'currentColor', width: 1.5, dash: [4, 3] },
      ],
      axes: [axis, { ...axis, size: 40, values: (_u, ticks) => ticks.map((v) => num(v)) }],
    },
    [days, counts, counts, counts],
    document.createElement('div'),
  )
  // uPlot draws in a microtask; let it, then let go.
  queueMicrotask(() => {
    chart.destroy()
    performance.mark('seats:chart-warm')
  })
}

let chartsDrawn = 0
const CHART_FONT = '11px system-ui, sans-serif'

function toColumns(series: HistorySeries): uPlot.AlignedData {
  const p = series.points
  return [
    p.map((x) => x.t / 1000),
    p.map((x) => x.available),
    p.map((x) => x.active),
    p.map((x) => x.purchased),
  ]
}

/** What the chart shows, in one sentence for screen readers. */
function chartSummary(series: HistorySeries): string {
  const words = RANGES.find((r) => r.value === series.range)?.words ?? series.range
  const first = series.points[0]
  const last = series.points.at(-1)
  if (!first || !last) return `No readings in ${words}.`
  const events = series.events.length ? ` ${series.events.length} events marked.` : ''
  return `Seats over ${words}: available went from ${num(first.available)} to ${num(last.available)}, active from ${num(first.active)} to ${num(last.active)}, ${seats(last.purchased)} purchased.${events}`
}

function eventList(events: HistoryEvent[]): Node[] {
  const heading = h('h3', {}, 'Events')
  if (events.length === 0)
    return [heading, h('p', { class: 'muted' }, 'No seats ran out, were freed or bought in this range.')]
  return [
    heading,
    h(
      'ul',
      { class: 'event-list' },
      ...[...events]
        .sort((a, b) => b.t - a.t)
        .map((e) =>
          h(
            'li',
            { class: `event ${e.kind}` },
            h('time', { datetime: new Date(e.t).toISOString() }, dateTime(e.t)),
            ' ',
            EVENT_WORDS[e.kind],
            e.label ? `: ${e.label}` : '',
          ),
        ),
    ),
  ]
}

const EVENT_WORDS: Record<HistoryEvent['kind'], string> = {
  'ran-out': 'Ran out',
  freed: 'Seats freed',
  'purchased-changed': 'Purchased seats changed',
}

const dayMonth = lazy(() => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }))
const monthYear = lazy(() => new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit' }))

/** The x-axis labels: clock times in the last 24 hours, with the date under the first and under each new day. */
function tickLabels(ticks: number[], range: HistoryRange): string[] {
  if (range !== '24h') return ticks.map((s) => tickLabel(s * 1000, range))
  let lastDay = ''
  return ticks.map((s) => {
    const ms = s * 1000
    const day = dayMonth().format(ms)
    const label = day !== lastDay ? `${clockTime(ms)}\n${day}` : clockTime(ms)
    lastDay = day
    return label
  })
}

function tickLabel(ms: number, range: HistoryRange): string {
  if (range === '24h') return clockTime(ms)
  if (range === '1y') return monthYear().format(ms)
  return dayMonth().format(ms)
}

interface ChartColors {
  text: string
  grid: string
  available: string
  availableFill: string
  active: string
  purchased: string
  ranOut: string
  freed: string
  purchasedChanged: string
}

/** The chart draws on canvas, so it reads the theme's colours from CSS once per build (rebuilt on theme change). */
function cssColors(): ChartColors {
  const style = getComputedStyle(document.documentElement)
  const v = (name: string) => style.getPropertyValue(name).trim()
  return {
    text: v('--text-muted'),
    grid: v('--grid'),
    available: v('--c-available'),
    availableFill: v('--c-available-fill'),
    active: v('--c-active'),
    purchased: v('--c-purchased'),
    ranOut: v('--tone-out'),
    freed: v('--tone-ok'),
    purchasedChanged: v('--c-purchased'),
  }
}

function drawEvents(u: uPlot, events: HistoryEvent[], color: ChartColors): void {
  const { ctx, bbox } = u
  ctx.save()
  ctx.lineWidth = Math.max(1, devicePixelRatio)
  ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio])
  for (const e of events) {
    const x = u.valToPos(e.t / 1000, 'x', true)
    if (x < bbox.left || x > bbox.left + bbox.width) continue
    ctx.strokeStyle =
      e.kind === 'ran-out' ? color.ranOut : e.kind === 'freed' ? color.freed : color.purchasedChanged
    ctx.beginPath()
    ctx.moveTo(x, bbox.top)
    ctx.lineTo(x, bbox.top + bbox.height)
    ctx.stroke()
  }
  ctx.restore()
}
