import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../test/support/services.js'
import { localRedisAnswers } from './src/bullmq/redis.js'
import type { BenchReport } from './src/report/output.js'

// Keeps the harness from rotting: a few-second run of the cheap scenarios, checked for sane
// figures. Speed targets are not asserted here; they depend on the machine.

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-bench-smoke-'))
afterAll(() => fs.rmSync(out, { recursive: true, force: true }))

async function runSmoke(scenarios: string[]): Promise<{ stdout: string; report: BenchReport }> {
  const args = [
    '--import',
    'tsx',
    'bench/run.ts',
    '--smoke',
    `--scenarios=${scenarios.join(',')}`,
    '--messages=500',
    '--simulate-messages=100',
    `--out=${out}`,
  ]
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: REPO_ROOT })
  const report = JSON.parse(fs.readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchReport
  return { stdout, report }
}

describe('pnpm bench --smoke', () => {
  it('measures raw, lorahooks e2e and (with Redis) BullMQ, and writes the report', async () => {
    const withRedis = await localRedisAnswers()
    const { stdout, report } = await runSmoke(withRedis ? ['raw', 'bullmq', 'e2e'] : ['raw', 'e2e'])

    const expected = ['raw', ...(withRedis ? ['bullmq'] : []), 'e2e-batch', 'e2e-simulate']
    expect(report.runs.map((run) => run.id)).toEqual(expected)
    for (const run of report.runs) {
      expect(run.skipped, run.id).toBeUndefined()
      expect(run.deliveries, run.id).toBeGreaterThan(0)
      expect(run.deliveriesPerSecond, run.id).toBeGreaterThan(0)
      expect(run.latencyMs?.p99, run.id).toBeGreaterThan(0)
      expect(run.bodyBytes, run.id).toBeGreaterThan(300)
    }
    const e2e = report.runs.find((run) => run.id === 'e2e-batch')
    expect(e2e?.processes?.['api']?.peakRssMb).toBeGreaterThan(0)
    expect(e2e?.processes?.['worker']?.peakRssMb).toBeGreaterThan(0)
    expect(e2e?.peakDatabaseBytes).toBeGreaterThan(0)

    expect(report.machine.cores).toBe(os.cpus().length)
    expect(report.versions['node']).toBe(process.versions.node)
    expect(report.versions['undici']).toMatch(/^\d+\./)
    expect(report.targets.length).toBeGreaterThan(0)

    expect(stdout).toMatch(/^run\s+deliveries\s+seconds\s+deliveries\/s/m)
    expect(stdout).toMatch(/^(PASS|FAIL) {2}e2e deliveries\/s ≥ 0\.5 × raw/m)
    expect(fs.readFileSync(path.join(out, 'latest.svg'), 'utf8')).toMatch(/^<svg /)
  })
})
