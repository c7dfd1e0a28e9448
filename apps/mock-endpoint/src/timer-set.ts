/** Timers that must not outlive the endpoint: close() clears whatever is still pending. */
export class TimerSet {
  readonly #pending = new Set<NodeJS.Timeout>()

  after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#pending.delete(timer)
      run()
    }, ms)
    this.#pending.add(timer)
  }

  clearAll(): void {
    for (const timer of this.#pending) clearTimeout(timer)
    this.#pending.clear()
  }
}
