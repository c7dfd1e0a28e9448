/**
 * Nanoseconds on the machine-wide monotonic clock. Every process on the host reads the same
 * clock, so a timestamp taken by the bench can be compared with one taken by the receiver.
 */
export function nowNs(): number {
  return Number(process.hrtime.bigint())
}

export function nsToMs(ns: number): number {
  return ns / 1e6
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
