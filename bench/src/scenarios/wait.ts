import { sleep } from '../clock.js'
import type { Progress } from '../receiver/protocol.js'

export interface WaitOptions {
  /** Throws to end the wait early, e.g. when a process the run needs has died. */
  check?: () => void
  onProgress?: (progress: Progress) => void
}

export interface WaitResult {
  progress: Progress
  /** Why the wait ended before `count` arrived; undefined when all arrived. */
  incomplete?: string
}

// Runs that cannot keep up at least this rate are cut short and reported with what arrived.
const MIN_RATE_PER_S = 1000
const STALL_MS = 20_000

/**
 * Polls the receiver until `count` requests were answered, until nothing arrived for 20 s, or
 * until the time `count` takes at 1,000/s (plus 30 s) has passed; slow runs still get figures.
 */
export async function awaitDeliveries(
  poll: () => Promise<Progress>,
  count: number,
  options: WaitOptions = {},
): Promise<WaitResult> {
  const deadline = Date.now() + 30_000 + (count / MIN_RATE_PER_S) * 1000
  let lastTotal = -1
  let lastChange = Date.now()
  for (;;) {
    const progress = await poll()
    options.onProgress?.(progress)
    if (progress.total >= count) return { progress }
    options.check?.()
    if (progress.total !== lastTotal) {
      lastTotal = progress.total
      lastChange = Date.now()
    }
    const limit = `${progress.total} of ${count} delivered`
    if (Date.now() - lastChange > STALL_MS) {
      return { progress, incomplete: `${limit}, then none for ${STALL_MS / 1000} s` }
    }
    if (Date.now() > deadline) {
      return { progress, incomplete: `${limit} within the time limit (${MIN_RATE_PER_S}/s)` }
    }
    await sleep(20)
  }
}
