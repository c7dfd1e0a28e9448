/** Past this many pending wake-ups the latest are dropped; the fallback sweep still comes. */
const MAX_PENDING = 1024

/**
 * Calls `wake` at each requested time (retries falling due, probes of held webhooks), with one
 * timer for the earliest. A wake-up that turns out to be early or redundant only costs a claim.
 */
export class WakeSchedule {
  private times: number[] = []
  private timer: NodeJS.Timeout | undefined
  private armedFor = Number.POSITIVE_INFINITY

  constructor(
    private readonly wake: () => void,
    private readonly now: () => number,
  ) {}

  at(time: number): void {
    const index = this.times.findIndex((existing) => existing >= time)
    if (this.times[index] === time) return
    if (index === -1) this.times.push(time)
    else this.times.splice(index, 0, time)
    if (this.times.length > MAX_PENDING) this.times.pop()
    this.arm()
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.times = []
    this.armedFor = Number.POSITIVE_INFINITY
  }

  private arm(): void {
    const next = this.times[0]
    if (next === undefined || next >= this.armedFor) return
    if (this.timer) clearTimeout(this.timer)
    this.armedFor = next
    const wait = Math.min(Math.max(next - this.now(), 0), 2 ** 30)
    this.timer = setTimeout(() => this.fire(), wait)
  }

  private fire(): void {
    this.timer = undefined
    this.armedFor = Number.POSITIVE_INFINITY
    const now = this.now()
    while (this.times[0] !== undefined && this.times[0] <= now) this.times.shift()
    this.arm()
    this.wake()
  }
}
