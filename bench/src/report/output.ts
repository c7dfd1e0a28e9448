import fs from 'node:fs'
import path from 'node:path'
import type { BenchOptions } from '../flags.js'
import type { RunResult } from '../types.js'
import { renderChart } from './chart.js'
import type { TargetCheck } from './targets.js'
import { gitState, machine } from './versions.js'

export interface BenchReport {
  startedAt: string
  finishedAt: string
  machine: ReturnType<typeof machine>
  versions: Record<string, string>
  git: ReturnType<typeof gitState>
  options: BenchOptions
  runs: RunResult[]
  targets: TargetCheck[]
}

/** Writes bench-<time>.json/.svg and latest.json/.svg into the output folder. */
export function writeReport(report: BenchReport): { json: string; chart: string } {
  fs.mkdirSync(report.options.out, { recursive: true })
  const stamp = report.startedAt.replace(/[:.]/g, '-')
  const json = `${JSON.stringify(report, null, 2)}\n`
  const commit = report.git.commit ? ` · ${report.git.commit.slice(0, 8)}` : ''
  const title =
    `lorahooks bench ${report.startedAt.slice(0, 16)} · ${report.machine.cores} cores · ` +
    `node ${report.versions['node']}${commit}`
  const chart = renderChart(report.runs, title)
  const file = (name: string) => path.join(report.options.out, name)
  fs.writeFileSync(file(`bench-${stamp}.json`), json)
  fs.writeFileSync(file(`bench-${stamp}.svg`), chart)
  fs.writeFileSync(file('latest.json'), json)
  fs.writeFileSync(file('latest.svg'), chart)
  return { json: file(`bench-${stamp}.json`), chart: file(`bench-${stamp}.svg`) }
}
