import { describe, expect, it } from 'vitest'
import { TaskSlots } from './content-encoding.js'

describe('TaskSlots', () => {
  it('runs at most its size at once and the rest in arrival order', async () => {
    const slots = new TaskSlots(2)
    let running = 0
    let most = 0
    const order: number[] = []
    const releases: (() => void)[] = []
    const tasks = [0, 1, 2, 3].map((n) =>
      slots.run(async () => {
        running++
        most = Math.max(most, running)
        order.push(n)
        await new Promise<void>((resolve) => releases.push(resolve))
        running--
        return n
      }),
    )
    await new Promise((resolve) => setImmediate(resolve))
    expect(order).toEqual([0, 1])
    while (releases.length > 0) {
      releases.shift()?.()
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3])
    expect(order).toEqual([0, 1, 2, 3])
    expect(most).toBe(2)
  })

  it('frees the slot of a task that throws', async () => {
    const slots = new TaskSlots(1)
    await expect(slots.run(() => Promise.reject(new Error('bad data')))).rejects.toThrow('bad data')
    expect(await slots.run(async () => 'next')).toBe('next')
  })
})
