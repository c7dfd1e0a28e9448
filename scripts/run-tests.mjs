#!/usr/bin/env node
// Runs every test of the repository: the type check of all workspaces (and of the root test/ and
// scripts/ folders), then one vitest run over
// all projects. Ends with a plain 'N passed, N failed' line that CI reads.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const results = path.join(root, '.test-results', 'vitest.json')
const extraArgs = process.argv.slice(2)

// turbo would otherwise send usage telemetry to its vendor; nothing here leaves the machine.
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' }

function run(command, args) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1
}

const typecheck =
  run('pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']) ||
  run('pnpm', ['exec', 'tsc', '-p', 'tsconfig.json'])
if (typecheck !== 0) {
  process.stdout.write('\ntypecheck failed\n0 passed, 1 failed\n')
  process.exit(1)
}

fs.rmSync(results, { force: true })
const status = run('pnpm', [
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${results}`,
  ...extraArgs,
])

let passed = 0
let failed = 0
if (fs.existsSync(results)) {
  const report = JSON.parse(fs.readFileSync(results, 'utf8'))
  passed = report.numPassedTests
  failed = report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? 1 : 0)
}
if (status !== 0 && failed === 0) failed = 1
process.stdout.write(`\n${passed} passed, ${failed} failed\n`)
process.exit(status === 0 && passed > 0 ? 0 : 1)
