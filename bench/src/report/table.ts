import { isLatencyRun } from '../rounds.js'
import type { RunResult } from '../types.js'
import type { TargetCheck } from './targets.js'

type Cell = string | number | undefined

const COLUMNS: [title: string, pick: (run: RunResult) => Cell][] = [
  ['run', (run) => (run.incomplete ? `${run.id}*` : run.id)],
  ['deliveries', (run) => run.deliveries],
  ['seconds', (run) => run.seconds.toFixed(2)],
  ['deliveries/s', (run) => Math.round(run.deliveriesPerSecond)],
  ['ingest/s', (run) => round(run.ingestPerSecond)],
  ['p50 ms', (run) => run.latencyMs?.p50.toFixed(1)],
  ['p99 ms', (run) => run.latencyMs?.p99.toFixed(1)],
  ['max ms', (run) => run.latencyMs?.max.toFixed(1)],
  ['API MB', (run) => run.processes?.['api']?.peakRssMb.toFixed(0)],
  ['worker MB', (run) => workerOf(run)?.peakRssMb.toFixed(0)],
  ['body B', (run) => round(run.bodyBytes)],
]

/** lorahooks' worker, or the baseline's BullMQ worker. */
function workerOf(run: RunResult) {
  return run.processes?.['worker'] ?? run.processes?.['bullmqWorker']
}

function round(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value)
}

function formatCell(value: Cell): string {
  if (value === undefined) return '-'
  return typeof value === 'number' ? value.toLocaleString('en-US') : value
}

/** A plain text table, numbers right-aligned; skipped runs get their reason on one line. */
export function renderTable(runs: RunResult[]): string {
  const measured = runs.filter((run) => !run.skipped)
  const rows = measured.map((run) => COLUMNS.map(([, pick]) => formatCell(pick(run))))
  const widths = COLUMNS.map(([title], index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] as string).length)),
  )
  const pad = (cell: string, index: number) =>
    index === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[index] as number)
  const line = (cells: string[]) => cells.map(pad).join('  ')
  const out = [line(COLUMNS.map(([title]) => title)), widths.map((w) => '-'.repeat(w)).join('  ')]
  out.push(...rows.map(line))
  for (const run of runs.filter((run) => run.skipped)) out.push(`SKIP ${run.id}: ${run.skipped}`)
  out.push('')
  for (const run of measured) {
    const incomplete = run.incomplete ? ` (INCOMPLETE: ${run.incomplete})` : ''
    out.push(`${run.id}: ${run.label}${incomplete}${roundsNote(run)}`)
  }
  return out.join('\n')
}

/** ", median of 3 rounds (16,979–20,357/s)": the spread behind a repeated run's figures. */
function roundsNote(run: RunResult): string {
  const rounds = run.rounds
  if (!rounds || rounds.length < 2) return ''
  const range = (values: number[], unit: string, digits: number) => {
    const format = { maximumFractionDigits: digits, minimumFractionDigits: digits }
    const text = (value: number) => value.toLocaleString('en-US', format)
    return `${text(Math.min(...values))}–${text(Math.max(...values))}${unit}`
  }
  const spread = isLatencyRun(run)
    ? range(rounds.map((round) => round.p99Ms ?? Number.NaN), ' ms p99', 1)
    : range(rounds.map((round) => round.deliveriesPerSecond), '/s', 0)
  return `, median of ${rounds.length} rounds (${spread})`
}

export function renderTargets(checks: TargetCheck[]): string {
  return checks
    .map((check) => {
      const verdict = check.pass === undefined ? 'SKIP' : check.pass ? 'PASS' : 'FAIL'
      return `${verdict}  ${check.target}: ${check.detail}`
    })
    .join('\n')
}
