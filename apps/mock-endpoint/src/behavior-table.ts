import { isPrefixPattern } from './path-match.js'
import type { Behavior, ResponseSpec } from './types.js'

interface Entry {
  behavior: Behavior
  prefix: string
  hits: number
}

/**
 * Behaviors by path pattern. Each entry counts the requests it answered, so the k-th request
 * gets responses[min(k, len - 1)].
 */
export class BehaviorTable {
  readonly #exact = new Map<string, Entry>()
  /** Longest prefix first, so the most specific pattern wins. */
  #prefixes: Entry[] = []

  /** Replaces any behavior with the same path and restarts its response sequence. */
  set(behavior: Behavior): void {
    const entry: Entry = { behavior, prefix: behavior.path.slice(0, -1), hits: 0 }
    if (!isPrefixPattern(behavior.path)) {
      this.#exact.set(behavior.path, entry)
      return
    }

    this.#prefixes = this.#prefixes.filter((e) => e.behavior.path !== behavior.path)
    this.#prefixes.push(entry)
    this.#prefixes.sort((a, b) => b.prefix.length - a.prefix.length)
  }

  reset(): void {
    this.#exact.clear()
    this.#prefixes = []
  }

  /** The response for the next request to this path, or undefined for the default answer. */
  next(path: string): ResponseSpec | undefined {
    const entry = this.#find(path)
    if (entry === undefined) return undefined

    const { responses } = entry.behavior
    const index = Math.min(entry.hits, responses.length - 1)
    entry.hits += 1
    return responses[index]
  }

  #find(path: string): Entry | undefined {
    if (this.#exact.size > 0) {
      const exact = this.#exact.get(path)
      if (exact !== undefined) return exact
    }
    for (const entry of this.#prefixes) {
      if (path.startsWith(entry.prefix)) return entry
    }
    return undefined
  }
}
