export const SCENARIOS = ['raw', 'bullmq', 'e2e', 'fanout', 'blackhole', 'steady', 'long'] as const
export type ScenarioName = (typeof SCENARIOS)[number]

export interface BenchOptions {
  scenarios: ScenarioName[]
  /** Deliveries per throughput scenario (raw, bullmq, e2e batch, fan-out). */
  messages: number
  /** Messages sent one per request through the simulate endpoint. */
  simulateMessages: number
  /** Steady-load seconds and messages per second. */
  duration: number
  rate: number
  /**
   * Seconds the latency runs (steady, black hole) send at their own rate before measuring, so
   * that the figures show a running service, not the JIT compiling its first requests.
   */
  warmup: number
  /** Black-hole scenario: seconds and messages per second (each goes to 10 or 11 webhooks). */
  blackholeDuration: number
  blackholeRate: number
  longDeliveries: number
  /** Messages per batch request, and keep-alive connections the bench opens to the API. */
  batchSize: number
  connections: number
  fanoutWebhooks: number
  /** Devices the bench application has; messages go to them in turn. */
  devices: number
  /**
   * Times the compared scenarios (raw, bullmq, e2e, fan-out, black hole) run, interleaved; each
   * run's median round is reported. Steady and long run once.
   */
  rounds: number
  /** Write CPU profiles of the API and worker processes into <out>/profiles. */
  cpuProf: boolean
  smoke: boolean
  out: string
}

const FULL: Omit<BenchOptions, 'scenarios' | 'cpuProf' | 'smoke' | 'out'> = {
  messages: 100_000,
  simulateMessages: 20_000,
  duration: 60,
  rate: 1000,
  warmup: 5,
  blackholeDuration: 40,
  blackholeRate: 100,
  longDeliveries: 1_000_000,
  batchSize: 200,
  connections: 16,
  fanoutWebhooks: 20,
  devices: 100,
  rounds: 3,
}

const SMOKE: typeof FULL = {
  messages: 2000,
  simulateMessages: 300,
  duration: 2,
  rate: 200,
  warmup: 0.5,
  blackholeDuration: 2,
  blackholeRate: 20,
  longDeliveries: 5000,
  batchSize: 100,
  connections: 4,
  fanoutWebhooks: 20,
  devices: 10,
  rounds: 1,
}

const NUMERIC: Record<string, keyof typeof FULL> = {
  messages: 'messages',
  'simulate-messages': 'simulateMessages',
  duration: 'duration',
  rate: 'rate',
  warmup: 'warmup',
  'blackhole-duration': 'blackholeDuration',
  'blackhole-rate': 'blackholeRate',
  'long-deliveries': 'longDeliveries',
  'batch-size': 'batchSize',
  connections: 'connections',
  'fanout-webhooks': 'fanoutWebhooks',
  devices: 'devices',
  rounds: 'rounds',
}

export const USAGE = `usage: pnpm bench [--scenarios=${SCENARIOS.join(',')}] [--smoke]
  [--messages=N] [--simulate-messages=N] [--duration=S] [--rate=R] [--warmup=S]
  [--long-deliveries=N]
  [--blackhole-duration=S] [--blackhole-rate=R] [--batch-size=N] [--connections=N]
  [--fanout-webhooks=N] [--devices=N] [--rounds=N] [--cpu-prof] [--out=bench-results/]`

export class FlagError extends Error {}

/** Reads `--name=value` flags; --smoke switches every default size to a few-seconds run. */
export function parseFlags(argv: readonly string[]): BenchOptions {
  const given = new Map<string, string>()
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg)
    if (!match) throw new FlagError(`unknown argument ${arg}`)
    given.set(match[1] as string, match[2] ?? 'true')
  }

  const smoke = given.get('smoke') === 'true'
  const options: BenchOptions = {
    ...(smoke ? SMOKE : FULL),
    scenarios: [...SCENARIOS],
    cpuProf: given.get('cpu-prof') === 'true',
    smoke,
    out: given.get('out') ?? 'bench-results',
  }
  for (const [name, value] of given) {
    if (name === 'smoke' || name === 'cpu-prof' || name === 'out') continue
    if (name === 'scenarios') options.scenarios = parseScenarios(value)
    else if (name in NUMERIC) options[NUMERIC[name] as keyof typeof FULL] = positive(name, value)
    else throw new FlagError(`unknown flag --${name}`)
  }
  return options
}

function parseScenarios(value: string): ScenarioName[] {
  const names = value.split(',').filter((name) => name !== '')
  for (const name of names) {
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new FlagError(`unknown scenario ${name}; choose from ${SCENARIOS.join(', ')}`)
    }
  }
  return SCENARIOS.filter((name) => names.includes(name))
}

// Seconds and rates may have fractions; counts may not.
const FRACTIONAL = new Set(['duration', 'rate', 'warmup', 'blackhole-duration', 'blackhole-rate'])
// Zero switches these off.
const MAY_BE_ZERO = new Set(['warmup'])

function positive(name: string, value: string): number {
  const number = Number(value)
  const least = MAY_BE_ZERO.has(name) ? 0 : Number.MIN_VALUE
  if (!Number.isFinite(number) || number < least) {
    const what = MAY_BE_ZERO.has(name) ? 'zero or a positive number' : 'a positive number'
    throw new FlagError(`--${name} must be ${what}, got ${value}`)
  }
  if (!FRACTIONAL.has(name) && !Number.isInteger(number)) {
    throw new FlagError(`--${name} must be a whole number, got ${value}`)
  }
  return number
}
