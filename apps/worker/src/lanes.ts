import type { ClaimedDelivery } from '@lorahooks/db'

interface Lane {
  active: number
  waiting: ClaimedDelivery[]
}

/**
 * Per-webhook queues of claimed deliveries. Each webhook gets at most `perLane` attempts at a
 * time, started in claim order, so one slow endpoint only ever occupies its own slots.
 */
export class Lanes {
  private readonly lanes = new Map<string, Lane>()
  private waitingCount = 0

  constructor(private readonly perLane: number) {}

  static keyOf(delivery: ClaimedDelivery): string {
    return `${delivery.applicationId}/${delivery.webhookId}`
  }

  add(delivery: ClaimedDelivery): void {
    const key = Lanes.keyOf(delivery)
    let lane = this.lanes.get(key)
    if (!lane) {
      lane = { active: 0, waiting: [] }
      this.lanes.set(key, lane)
    }
    lane.waiting.push(delivery)
    this.waitingCount++
  }

  /** Takes every delivery that may start now, marking it active. */
  takeStartable(): ClaimedDelivery[] {
    const startable: ClaimedDelivery[] = []
    for (const lane of this.lanes.values()) {
      while (lane.active < this.perLane && lane.waiting.length > 0) {
        startable.push(lane.waiting.shift() as ClaimedDelivery)
        lane.active++
        this.waitingCount--
      }
    }
    return startable
  }

  finish(delivery: ClaimedDelivery): void {
    const key = Lanes.keyOf(delivery)
    const lane = this.lanes.get(key)
    if (!lane) return
    lane.active--
    if (lane.active === 0 && lane.waiting.length === 0) this.lanes.delete(key)
  }

  /** Whether the webhook could start another attempt now. */
  hasRoom(key: string): boolean {
    const lane = this.lanes.get(key)
    return !lane || lane.active < this.perLane
  }

  /** Webhooks whose slots are all taken: claiming more for them would only wait in memory. */
  saturated(): string[] {
    const keys: string[] = []
    for (const [key, lane] of this.lanes) if (lane.active >= this.perLane) keys.push(key)
    return keys
  }

  /** Removes and returns the deliveries of one webhook not yet started. */
  drainLane(key: string): ClaimedDelivery[] {
    const lane = this.lanes.get(key)
    if (!lane) return []
    const waiting = lane.waiting.splice(0)
    this.waitingCount -= waiting.length
    if (lane.active === 0) this.lanes.delete(key)
    return waiting
  }

  /** Removes and returns every delivery not yet started. */
  drainWaiting(): ClaimedDelivery[] {
    const waiting: ClaimedDelivery[] = []
    for (const lane of this.lanes.values()) waiting.push(...lane.waiting.splice(0))
    this.waitingCount = 0
    return waiting
  }

  get waiting(): number {
    return this.waitingCount
  }
}
