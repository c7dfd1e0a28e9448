import { describe, expect, it } from 'vitest'

import { BehaviorTable } from './behavior-table.js'

describe('BehaviorTable', () => {
  it('prefers an exact path over any prefix', () => {
    const table = new BehaviorTable()
    table.set({ path: '/up*', responses: [{ status: 500 }] })
    table.set({ path: '/up', responses: [{ status: 201 }] })

    expect(table.next('/up')?.status).toBe(201)
    expect(table.next('/upper')?.status).toBe(500)
    expect(table.next('/down')).toBeUndefined()
  })

  it('treats a lone * as matching every path', () => {
    const table = new BehaviorTable()
    table.set({ path: '*', responses: [{ status: 502 }] })

    expect(table.next('/anything/at/all')?.status).toBe(502)
  })

  it('counts each pattern separately', () => {
    const table = new BehaviorTable()
    table.set({ path: '/a', responses: [{ status: 500 }, { status: 200 }] })
    table.set({ path: '/b', responses: [{ status: 503 }, { status: 204 }] })

    const order = ['/a', '/b', '/b', '/a', '/a'].map((path) => table.next(path)?.status)

    expect(order).toEqual([500, 503, 204, 200, 200])
  })
})
