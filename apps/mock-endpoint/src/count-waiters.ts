interface Waiter {
  target: number
  timer: NodeJS.Timeout
  resolve(reached: boolean): void
}

/** Pending "tell me when at least N requests arrived" promises. */
export class CountWaiters {
  #waiters: Waiter[] = []

  get pending(): boolean {
    return this.#waiters.length > 0
  }

  /** Resolves true once notify() reports a count >= target, false after timeoutMs. */
  wait(current: number, target: number, timeoutMs: number): Promise<boolean> {
    if (current >= target) return Promise.resolve(true)

    return new Promise((resolve) => {
      const waiter: Waiter = {
        target,
        resolve,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter)
          resolve(false)
        }, timeoutMs),
      }
      this.#waiters.push(waiter)
    })
  }

  notify(count: number): void {
    const reached = this.#waiters.filter((w) => count >= w.target)
    if (reached.length === 0) return

    this.#waiters = this.#waiters.filter((w) => count < w.target)
    for (const waiter of reached) {
      clearTimeout(waiter.timer)
      waiter.resolve(true)
    }
  }

  /** Settles everyone as "not reached" so nothing keeps the process alive. */
  close(): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer)
      waiter.resolve(false)
    }
    this.#waiters = []
  }
}
