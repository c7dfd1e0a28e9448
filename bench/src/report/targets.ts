import type { RoundFigures } from '../rounds.js'
import type { RunResult } from '../types.js'

export interface TargetCheck {
  target: string
  /** undefined when a run the check needs did not happen in this invocation. */
  pass?: boolean
  value?: number
  limit: number
  detail: string
}

const RSS_LIMIT_MB = 150
const FLAT_LIMIT = 1.2
const DATABASE_GROWTH_LIMIT = 1.25

/**
 * Two decimals, or three where two would round a figure onto the wrong side of its limit: a
 * failed 0.498 must not read as 0.50.
 */
export function shownRatio(value: number, passes: (figure: number) => boolean): string {
  const short = value.toFixed(2)
  return passes(Number(short)) === passes(value) ? short : value.toFixed(3)
}

function rate(run: RunResult): string {
  return `${Math.round(run.deliveriesPerSecond)}/s`
}

/**
 * The ratio of two runs' figures. When both ran in the same rounds, the ratio is taken within
 * each round (the two ran minutes apart at most) and the median of those is the value: the
 * worse middle one for an even count (`worstFirst` sorts them).
 */
function pairedRatio(
  numerator: RunResult,
  denominator: RunResult,
  figure: (round: RoundFigures) => number | undefined,
  whole: number,
  worstFirst: (a: number, b: number) => number,
): { value: number; spread?: string } {
  const over = numerator.rounds
  const under = denominator.rounds
  if (!over || !under || over.length !== under.length || over.length < 2) return { value: whole }
  const ratios = over
    .map((round, index) => {
      const other = under[index]
      return other ? (figure(round) ?? Number.NaN) / (figure(other) ?? Number.NaN) : Number.NaN
    })
    .filter((ratio) => Number.isFinite(ratio))
  if (ratios.length < 2) return { value: whole }
  const ranked = [...ratios].sort(worstFirst)
  const value = ranked[Math.floor((ranked.length - 1) / 2)] as number
  const low = Math.min(...ratios).toFixed(2)
  const high = Math.max(...ratios).toFixed(2)
  return { value, spread: `median of ${ratios.length} rounds, ${low}–${high}` }
}

function ratioCheck(
  target: string,
  numerator: RunResult | undefined,
  denominator: RunResult | undefined,
  limit: number,
): TargetCheck {
  if (!numerator || !denominator || denominator.deliveriesPerSecond === 0) {
    return { target, limit, detail: 'not measured in this run' }
  }
  const whole = numerator.deliveriesPerSecond / denominator.deliveriesPerSecond
  const perSecond = (round: RoundFigures) => round.deliveriesPerSecond
  const { value, spread } = pairedRatio(numerator, denominator, perSecond, whole, (a, b) => a - b)
  const shown = shownRatio(value, (figure) => figure >= limit)
  const rates = `${rate(numerator)} vs ${rate(denominator)}`
  return {
    target,
    pass: value >= limit,
    value,
    limit,
    detail: spread ? `${shown} (${spread}; medians ${rates})` : `${shown} (${rates})`,
  }
}

const TOO_SHORT = 'the long run was too short to sample a trend (raise --long-deliveries)'

function atMost(
  target: string,
  value: number | undefined,
  limit: number,
  detail: string,
  missing = 'not measured in this run',
): TargetCheck {
  if (value === undefined) return { target, limit, detail: missing }
  return { target, pass: value <= limit, value, limit, detail }
}

function peakRss(runs: RunResult[]): { value?: number; detail: string } {
  let peak: { value: number; where: string } | undefined
  for (const run of runs) {
    for (const name of ['api', 'worker']) {
      const figure = run.processes?.[name]?.peakRssMb
      if (figure !== undefined && (!peak || figure > peak.value)) {
        peak = { value: figure, where: `${name} in ${run.id}` }
      }
    }
  }
  if (!peak) return { detail: '' }
  return { value: peak.value, detail: `${peak.value.toFixed(0)} MB (${peak.where})` }
}

/** The issue's targets, each a ratio or bound within this one invocation. */
export function checkTargets(runs: RunResult[]): TargetCheck[] {
  const byId = new Map(runs.filter((run) => !run.skipped).map((run) => [run.id, run]))
  const e2e = byId.get('e2e-batch')
  const steady = byId.get('steady')
  const control = byId.get('blackhole-control')
  const hole = byId.get('blackhole')
  const long = byId.get('long')
  const lorahooksRuns = [...byId.values()].filter((run) => run.processes?.['api'])
  const rss = peakRss(lorahooksRuns)

  const hole99 = (round: RoundFigures) => round.p99Ms
  const highestFirst = (a: number, b: number) => b - a
  const holeRatio =
    control?.latencyMs && hole?.latencyMs
      ? pairedRatio(hole, control, hole99, hole.latencyMs.p99 / control.latencyMs.p99, highestFirst)
      : undefined
  const apiGrowth = long?.extra?.['rssGrowthApi']
  const workerGrowth = long?.extra?.['rssGrowthWorker']
  const flat =
    apiGrowth !== undefined && workerGrowth !== undefined
      ? Math.max(apiGrowth, workerGrowth)
      : undefined
  const dbGrowth = long?.extra?.['databaseGrowth']

  return [
    ratioCheck('e2e deliveries/s ≥ 1.5 × BullMQ', e2e, byId.get('bullmq'), 1.5),
    ratioCheck('e2e deliveries/s ≥ 0.5 × raw', e2e, byId.get('raw'), 0.5),
    atMost(
      'p99 ingest-to-delivery ≤ 25 ms at steady load',
      steady?.latencyMs?.p99,
      25,
      `${steady?.latencyMs?.p99.toFixed(1)} ms, ${Math.round(steady?.deliveriesPerSecond ?? 0)}/s`,
    ),
    ratioCheck('fan-out per-delivery ≥ 0.8 × single webhook', byId.get('fanout'), e2e, 0.8),
    atMost(
      'healthy p99 with black hole ≤ 1.2 × without',
      holeRatio?.value,
      1.2,
      `${holeRatio === undefined ? '' : shownRatio(holeRatio.value, (figure) => figure <= 1.2)} ` +
        `(${holeRatio?.spread ? `${holeRatio.spread}; medians ` : ''}` +
        `${hole?.latencyMs?.p99.toFixed(1)} ms vs ${control?.latencyMs?.p99.toFixed(1)} ms)`,
    ),
    atMost(`peak RSS of API and worker ≤ ${RSS_LIMIT_MB} MB`, rss.value, RSS_LIMIT_MB, rss.detail),
    atMost(
      `RSS flat over the long run (growth ≤ ${FLAT_LIMIT})`,
      flat,
      FLAT_LIMIT,
      `api ×${apiGrowth?.toFixed(2)}, worker ×${workerGrowth?.toFixed(2)}`,
      long ? TOO_SHORT : undefined,
    ),
    atMost(
      `database bounded (end ≤ ${DATABASE_GROWTH_LIMIT} × half-way)`,
      dbGrowth,
      DATABASE_GROWTH_LIMIT,
      `×${dbGrowth?.toFixed(2)}, ${long?.extra?.['finalDatabaseMb']?.toFixed(0)} MB at the end`,
      long ? TOO_SHORT : undefined,
    ),
  ]
}
