import type { RunResult } from '../types.js'

/*
 * A two-panel SVG written as plain text: deliveries/s per run (linear) and ingest-to-delivery
 * latency p50/p99 per run (log scale, since steady runs sit at milliseconds and backlog runs at
 * seconds).
 */

const ROW = 26
const TOP = 56
const LABEL = 150
const PANEL = 360
const GAP = 60
// Room right of each panel for the value labels.
const VALUES = 120
const WIDTH = LABEL + PANEL + GAP + LABEL + PANEL + VALUES
const COLORS = { rate: '#2b6cb0', p50: '#9ac1e8', p99: '#c0392b', grid: '#dddddd' }

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escape(content)}</text>`
}

function rect(x: number, y: number, width: number, height: number, fill: string): string {
  const w = Math.max(width, 0.5).toFixed(1)
  const at = `x="${x.toFixed(1)}" y="${y.toFixed(1)}"`
  return `<rect ${at} width="${w}" height="${height}" fill="${fill}"/>`
}

function throughputPanel(runs: RunResult[], left: number): string[] {
  const max = Math.max(1, ...runs.map((run) => run.deliveriesPerSecond))
  const scale = PANEL / max
  const parts = [text(left, 40, 'deliveries per second', 'font-weight="bold"')]
  runs.forEach((run, index) => {
    const y = TOP + index * ROW
    const width = run.deliveriesPerSecond * scale
    parts.push(text(left - 8, y + 15, run.id, 'text-anchor="end"'))
    parts.push(rect(left, y + 3, width, ROW - 8, COLORS.rate))
    parts.push(text(left + width + 4, y + 15, Math.round(run.deliveriesPerSecond).toLocaleString()))
  })
  return parts
}

function latencyPanel(runs: RunResult[], left: number, bottom: number): string[] {
  const withLatency = runs.filter((run) => run.latencyMs && run.latencyMs.count > 0)
  const maxMs = Math.max(10, ...withLatency.map((run) => run.latencyMs?.p99 ?? 0))
  const decades = Math.ceil(Math.log10(maxMs)) + 1
  const x = (ms: number) => left + ((Math.log10(Math.max(ms, 0.1)) + 1) / decades) * PANEL
  const parts = [
    text(left, 40, 'latency ms, p50 (light) and p99 (dark), log scale', 'font-weight="bold"'),
  ]
  for (let power = -1; power < decades; power++) {
    const at = x(10 ** power)
    parts.push(`<line x1="${at}" y1="${TOP}" x2="${at}" y2="${bottom}" stroke="${COLORS.grid}"/>`)
    parts.push(text(at, bottom + 14, String(10 ** power), 'text-anchor="middle" font-size="10"'))
  }
  runs.forEach((run, index) => {
    const y = TOP + index * ROW
    parts.push(text(left - 8, y + 15, run.id, 'text-anchor="end"'))
    if (!run.latencyMs || run.latencyMs.count === 0) return
    const { p50, p99 } = run.latencyMs
    parts.push(rect(left, y + 3, x(p99) - left, ROW - 8, COLORS.p99))
    parts.push(rect(left, y + 3, x(p50) - left, ROW - 8, COLORS.p50))
    parts.push(text(x(p99) + 4, y + 15, `${p50.toFixed(1)} / ${p99.toFixed(1)}`))
  })
  return parts
}

export function renderChart(runs: RunResult[], title: string): string {
  const measured = runs.filter((run) => !run.skipped)
  const bottom = TOP + measured.length * ROW
  const height = bottom + 30
  const body = [
    text(10, 20, title, 'font-weight="bold" font-size="14"'),
    ...throughputPanel(measured, LABEL),
    ...latencyPanel(measured, LABEL + PANEL + GAP + LABEL, bottom),
  ]
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" ` +
      `viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n')
}
