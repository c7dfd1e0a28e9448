/**
 * This worker's own count of consecutive failures per webhook. The store keeps the real health;
 * this copy lets the worker stop at once, without a database round trip, when a webhook reaches
 * the unhealthy threshold: its claimed but unstarted deliveries go back to the queue instead of
 * each waiting out its own timeout against a dead endpoint.
 */
export class FailureStreaks {
  private readonly streaks = new Map<string, number>()
  /** Webhooks this worker has seen reach the threshold since the last write to the store. */
  private readonly reached = new Set<string>()

  constructor(private readonly threshold: number) {}

  /** Counts a failure; true when the webhook is now (or still) past the threshold. */
  failed(key: string, probe: boolean): boolean {
    const streak = (this.streaks.get(key) ?? 0) + 1
    this.streaks.set(key, streak)
    const held = this.threshold > 0 && (probe || streak >= this.threshold)
    if (held) this.reached.add(key)
    return held
  }

  /** Counts a success; true when it ended a streak of failures seen by this worker. */
  succeeded(key: string): boolean {
    this.reached.delete(key)
    return this.streaks.delete(key)
  }

  forget(key: string): void {
    this.streaks.delete(key)
    this.reached.delete(key)
  }

  /** Webhooks not to claim for until the store has recorded their failures (and holds them). */
  holding(): string[] {
    return [...this.reached]
  }

  /** The store has recorded these attempts; returns the webhooks it now holds. */
  recorded(attempts: readonly { applicationId: string; webhookId: string }[]): string[] {
    if (this.reached.size === 0) return []
    const held: string[] = []
    for (const { applicationId, webhookId } of attempts) {
      const key = `${applicationId}/${webhookId}`
      if (this.reached.delete(key)) held.push(key)
    }
    return held
  }
}
