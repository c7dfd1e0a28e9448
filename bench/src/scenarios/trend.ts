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
 */
export function growth(samples: Sample[], pick: (sample: Sample) => number | undefined): number {
  const values = (part: Sample[]) =>
    part.map(pick).filter((value): value is number => value !== undefined && value > 0)
  const early = mean(values(window(samples, 0.2, 0.3)))
  const late = mean(values(window(samples, 0.9, 1)))
  return early === 0 ? 0 : late / early
}

/** Database size at the end of the run divided by its size when half the deliveries were done. */
export function databaseGrowth(samples: Sample[], total: number): number {
  const half = samples.find((sample) => (sample.delivered ?? 0) >= total / 2)
  const last = samples.at(-1)
  if (!half?.dbBytes || !last?.dbBytes) return 0
  return last.dbBytes / half.dbBytes
}
