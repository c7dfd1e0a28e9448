import fs from 'node:fs'

/** Resident set size of a process in bytes, or undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/** User plus system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return ticks / 100
  } catch {
    return undefined
  }
}

/** Bytes of a SQLite database with its write-ahead log. */
export function databaseBytes(file: string): number {
  let total = 0
  for (const path of [file, `${file}-wal`]) {
    try {
      total += fs.statSync(path).size
    } catch {
      // The WAL exists only between checkpoints.
    }
  }
  return total
}

export interface Sample {
  /** Seconds since the sampler started. */
  t: number
  rss: Record<string, number>
  dbBytes?: number
  delivered?: number
}

export interface ProcessFigures {
  peakRssMb: number
  lastRssMb: number
  cpuSeconds: number
}

/** Samples RSS of named processes (and a database's size) on a fixed interval. */
export class ResourceSampler {
  readonly samples: Sample[] = []
  private readonly startCpu = new Map<string, number>()
  private readonly started = Date.now()
  private timer: NodeJS.Timeout | undefined
  private delivered: (() => number) | undefined

  constructor(
    private readonly pids: Record<string, number>,
    private readonly database?: string,
    private readonly intervalMs = 500,
  ) {
    for (const [name, pid] of Object.entries(pids)) this.startCpu.set(name, cpuSeconds(pid) ?? 0)
  }

  start(): this {
    this.sample()
    this.timer = setInterval(() => this.sample(), this.intervalMs)
    return this
  }

  /** Record a delivery count with every sample from now on. */
  countDeliveries(delivered: () => number): void {
    this.delivered = delivered
  }

  sample(): Sample {
    const rss: Record<string, number> = {}
    for (const [name, pid] of Object.entries(this.pids)) {
      const bytes = rssBytes(pid)
      if (bytes !== undefined) rss[name] = bytes
    }
    const sample: Sample = { t: (Date.now() - this.started) / 1000, rss }
    if (this.database) sample.dbBytes = databaseBytes(this.database)
    if (this.delivered) sample.delivered = this.delivered()
    this.samples.push(sample)
    return sample
  }

  /** Stops sampling and returns peak RSS and CPU used per process. */
  stop(): Record<string, ProcessFigures> {
    clearInterval(this.timer)
    this.sample()
    const figures: Record<string, ProcessFigures> = {}
    for (const [name, pid] of Object.entries(this.pids)) {
      const values = this.samples.map((s) => s.rss[name] ?? 0)
      const last = [...values].reverse().find((value) => value > 0) ?? 0
      figures[name] = {
        peakRssMb: Math.max(...values) / 2 ** 20,
        lastRssMb: last / 2 ** 20,
        cpuSeconds: (cpuSeconds(pid) ?? 0) - (this.startCpu.get(name) ?? 0),
      }
    }
    return figures
  }

  peakDatabaseBytes(): number {
    return Math.max(0, ...this.samples.map((s) => s.dbBytes ?? 0))
  }
}
