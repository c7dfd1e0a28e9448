/**
 * A small Prometheus registry: counters and histograms with fixed label names, and gauges
 * sampled at scrape time, written in the text exposition format 0.0.4.
 */

export type Labels = Record<string, string>

export interface Collector {
  lines(): string[]
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')
}

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`)
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`
}

function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf'
  if (value === Number.NEGATIVE_INFINITY) return '-Inf'
  return String(value)
}

function header(name: string, type: string, help: string): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`]
}

/** Series of one family keyed by their label values, in the order of the label names. */
class Series<T> {
  private readonly entries = new Map<string, { labels: Labels; value: T }>()

  constructor(
    private readonly labelNames: readonly string[],
    private readonly create: () => T,
  ) {}

  get(labels: Labels): T {
    const ordered: Labels = {}
    for (const name of this.labelNames) ordered[name] = labels[name] ?? ''
    const key = JSON.stringify(Object.values(ordered))
    let entry = this.entries.get(key)
    if (!entry) {
      entry = { labels: ordered, value: this.create() }
      this.entries.set(key, entry)
    }
    return entry.value
  }

  all(): Iterable<{ labels: Labels; value: T }> {
    return this.entries.values()
  }
}

export class Counter implements Collector {
  private readonly series

  constructor(
    readonly name: string,
    private readonly help: string,
    labelNames: readonly string[] = [],
  ) {
    this.series = new Series(labelNames, () => ({ count: 0 }))
  }

  inc(labels: Labels = {}, by = 1): void {
    this.series.get(labels).count += by
  }

  /** The series of `labels`, to count into later without looking it up again. */
  child(labels: Labels): { inc(by?: number): void } {
    const state = this.series.get(labels)
    return {
      inc: (by = 1) => {
        state.count += by
      },
    }
  }

  lines(): string[] {
    const out = header(this.name, 'counter', this.help)
    for (const { labels, value } of this.series.all()) {
      out.push(`${this.name}${formatLabels(labels)} ${formatValue(value.count)}`)
    }
    return out
  }
}

interface HistogramState {
  buckets: number[]
  count: number
  sum: number
}

export class Histogram implements Collector {
  private readonly series

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly bounds: readonly number[],
    labelNames: readonly string[] = [],
  ) {
    this.series = new Series<HistogramState>(labelNames, () => ({
      buckets: bounds.map(() => 0),
      count: 0,
      sum: 0,
    }))
  }

  observe(labels: Labels, value: number): void {
    this.record(this.series.get(labels), value)
  }

  /** The series of `labels`, to observe into later without looking it up again. */
  child(labels: Labels): { observe(value: number): void } {
    const state = this.series.get(labels)
    return { observe: (value) => this.record(state, value) }
  }

  private record(state: HistogramState, value: number): void {
    state.count++
    state.sum += value
    const bounds = this.bounds
    for (let index = 0; index < bounds.length; index++) {
      if (value <= (bounds[index] as number)) {
        state.buckets[index] = (state.buckets[index] ?? 0) + 1
        return
      }
    }
  }

  lines(): string[] {
    const out = header(this.name, 'histogram', this.help)
    for (const { labels, value } of this.series.all()) {
      let cumulative = 0
      this.bounds.forEach((bound, index) => {
        cumulative += value.buckets[index] ?? 0
        const le = formatLabels({ ...labels, le: formatValue(bound) })
        out.push(`${this.name}_bucket${le} ${cumulative}`)
      })
      out.push(`${this.name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${value.count}`)
      out.push(`${this.name}_sum${formatLabels(labels)} ${formatValue(value.sum)}`)
      out.push(`${this.name}_count${formatLabels(labels)} ${value.count}`)
    }
    return out
  }
}

/** A gauge family whose samples are read when scraped. */
export function gauge(name: string, help: string, samples: Array<[Labels, number]>): Collector {
  return {
    lines: () => [
      ...header(name, 'gauge', help),
      ...samples.map(([labels, value]) => `${name}${formatLabels(labels)} ${formatValue(value)}`),
    ],
  }
}

/** The exposition text of the collectors, in the order given. */
export function exposition(collectors: readonly Collector[]): string {
  return `${collectors.flatMap((collector) => collector.lines()).join('\n')}\n`
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
