import type { Sample } from '../procs/sampler.js'

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length
}

/** The samples between two fractions of the run's duration. */
function window(samples: Sample[], from: number, to: number): Sample[] {
  const end = samples.at(-1)?.t ?? 0
  return samples.filter((sample) => sample.t >= from * end && sample.t <= to * end)
}

/**
 * How much a figure grew over the run: its mean over the last tenth of the samples divided by
 * its mean between 20 % and 30 % (after start-up, once caches and pools are warm). 1 is flat.
 * Undefined when either window holds no sample (a run too short to tell).
 */
export function growth(
  samples: Sample[],
  pick: (sample: Sample) => number | undefined,
): number | undefined {
  const values = (part: Sample[]) =>
    part.map(pick).filter((value): value is number => value !== undefined && value > 0)
  const early = values(window(samples, 0.2, 0.3))
  const late = values(window(samples, 0.9, 1))
  if (early.length === 0 || late.length === 0) return undefined
  return mean(late) / mean(early)
}

/**
 * Database size at the end of the run divided by its size when half the deliveries were done;
 * undefined without a sample at each of those points.
 */
export function databaseGrowth(samples: Sample[], total: number): number | undefined {
  const half = samples.find((sample) => (sample.delivered ?? 0) >= total / 2)
  const last = samples.at(-1)
  if (!half?.dbBytes || !last?.dbBytes || half === last) return undefined
  return last.dbBytes / half.dbBytes
}
