import { describe, expect, it } from 'vitest'
import { Deadlines, type Expirable } from './deadlines.js'

function item(): Expirable & { settled: boolean; expiredAt?: number } {
  const entry: Expirable & { settled: boolean; expiredAt?: number } = {
    settled: false,
    expire() {
      entry.expiredAt = Date.now()
      entry.settled = true
    },
  }
  return entry
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('Deadlines', () => {
  it('expires what is still unsettled at its deadline, in order, and nothing else', async () => {
    const deadlines = new Deadlines(40)
    const started = Date.now()
    const [first, second, third] = [item(), item(), item()]
    deadlines.add(first)
    deadlines.add(second)
    await sleep(20)
    deadlines.add(third)
    second.settled = true

    await sleep(35)
    expect(first.expiredAt! - started).toBeGreaterThanOrEqual(35)
    expect(second.expiredAt).toBeUndefined()
    expect(third.expiredAt).toBeUndefined()
    await sleep(40)
    expect(third.expiredAt! - started).toBeGreaterThanOrEqual(55)
    expect(deadlines.size).toBe(0)
    deadlines.clear()
  })

  it('forgets settled items at the front, so quick attempts do not pile up', () => {
    const deadlines = new Deadlines(60_000)
    const items = Array.from({ length: 5000 }, item)
    for (const entry of items) deadlines.add(entry)
    for (const entry of items.slice(0, 4000)) {
      entry.settled = true
      deadlines.trim()
    }
    expect(deadlines.size).toBe(1000)
    items[4001]!.settled = true
    deadlines.trim()
    expect(deadlines.size).toBe(1000)
    deadlines.clear()
  })
})
