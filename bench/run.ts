import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { REPO_ROOT } from '../test/support/services.js'
import { FlagError, parseFlags, USAGE, type BenchOptions, type ScenarioName } from './src/flags.js'
import { Receiver } from './src/receiver/receiver.js'
import { writeReport } from './src/report/output.js'
import { renderTable, renderTargets } from './src/report/table.js'
import { checkTargets } from './src/report/targets.js'
import { gitState, machine, versions } from './src/report/versions.js'
import { blackholeScenario } from './src/scenarios/blackhole.js'
import { bullmqScenario } from './src/scenarios/bullmq.js'
import type { ScenarioContext } from './src/scenarios/context.js'
import { e2eScenario } from './src/scenarios/e2e.js'
import { fanoutScenario } from './src/scenarios/fanout.js'
import { longScenario } from './src/scenarios/long.js'
import { medianRuns } from './src/rounds.js'
import { rawScenario } from './src/scenarios/raw.js'
import { steadyScenario } from './src/scenarios/steady.js'
import { skippedRun, type RunResult } from './src/types.js'

const SCENARIOS: Record<ScenarioName, (ctx: ScenarioContext) => Promise<RunResult[]>> = {
  raw: rawScenario,
  bullmq: bullmqScenario,
  e2e: e2eScenario,
  fanout: fanoutScenario,
  blackhole: blackholeScenario,
  steady: steadyScenario,
  long: longScenario,
}

function readOptions(): BenchOptions {
  try {
    const options = parseFlags(process.argv.slice(2))
    return { ...options, out: path.resolve(REPO_ROOT, options.out) }
  } catch (error) {
    if (!(error instanceof FlagError)) throw error
    process.stderr.write(`${error.message}\n${USAGE}\n`)
    process.exit(2)
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`)

/**
 * The scenarios whose figures are compared with each other's: they run `--rounds` times,
 * interleaved, so that a slow spell of a shared machine falls on all of them alike.
 */
const REPEATED = new Set<ScenarioName>(['raw', 'bullmq', 'e2e', 'fanout', 'blackhole'])

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const options = readOptions()
  const built = spawnSync(process.execPath, ['scripts/build-apps.mjs'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  })
  if (built.status !== 0) return 1
  const startedAt = new Date().toISOString()
  const found = versions()
  const receiver = await Receiver.start()
  const profiles = path.join(options.out, 'profiles', startedAt.replace(/[:.]/g, '-'))
  const ctx: ScenarioContext = {
    options,
    receiver,
    log,
    profileDir: (run) => (options.cpuProf ? path.join(profiles, run) : undefined),
    noteVersion: (name, version) => (found[name] = version),
  }

  let failed = false
  const runScenario = async (name: ScenarioName, round: string): Promise<RunResult[]> => {
    log(`scenario ${name}${round} …`)
    const started = Date.now()
    try {
      return await SCENARIOS[name](ctx)
    } catch (error) {
      failed = true
      log(`scenario ${name} failed: ${error instanceof Error ? error.stack : String(error)}`)
      return [skippedRun(name, name, `failed: ${(error as Error).message.split('\n')[0]}`)]
    } finally {
      log(`scenario ${name}${round} done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }
  }

  const runs: RunResult[] = []
  try {
    const repeated = options.scenarios.filter((name) => REPEATED.has(name))
    const rounds: RunResult[][] = []
    for (let round = 1; round <= options.rounds; round++) {
      const label = options.rounds > 1 ? ` (round ${round} of ${options.rounds})` : ''
      const results: RunResult[] = []
      for (const name of repeated) results.push(...(await runScenario(name, label)))
      rounds.push(results)
    }
    runs.push(...medianRuns(rounds))
    for (const name of options.scenarios.filter((name) => !REPEATED.has(name))) {
      runs.push(...(await runScenario(name, '')))
    }
  } finally {
    await receiver.stop()
  }

  const targets = checkTargets(runs)
  const files = writeReport({
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    versions: found,
    git: gitState(),
    options,
    runs,
    targets,
  })
  process.stdout.write(`${renderTable(runs)}\n\n${renderTargets(targets)}\n\n`)
  process.stdout.write(`results: ${files.json}\nchart:   ${files.chart}\n`)
  return failed ? 1 : 0
}

process.exitCode = await main()
