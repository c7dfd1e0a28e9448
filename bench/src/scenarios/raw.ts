import { Pool } from 'undici'
import { nowNs } from '../clock.js'
import { deliveredUplinkBody } from '../payload.js'
import { ResourceSampler } from '../procs/sampler.js'
import type { RunResult } from '../types.js'
import type { ScenarioContext } from './context.js'
import { throughputFigures } from './measure.js'
import { awaitDeliveries } from './wait.js'

/** Requests in flight and keep-alive connections of the bare client (fastest mix measured). */
export const RAW_CONCURRENCY = 64
const RAW_CONNECTIONS = 16

/** The limit: a bare undici client POSTing to the receiver, no queue in between. */
export async function rawScenario(ctx: ScenarioContext): Promise<RunResult[]> {
  const { receiver, options } = ctx
  const total = options.messages
  const pool = new Pool(receiver.url, { connections: RAW_CONNECTIONS, keepAliveTimeout: 60_000 })
  const headers = { 'content-type': 'application/json' }
  const post = async (seq: number) => {
    const body = deliveredUplinkBody(seq % 100, seq + 1, nowNs())
    const response = await pool.request({ method: 'POST', path: '/raw', headers, body })
    await response.body.dump()
    if (response.statusCode !== 200) throw new Error(`receiver answered ${response.statusCode}`)
  }

  // A short warm-up opens the connections and lets both sides compile their hot paths.
  let seq = 0
  const lanes = async (count: number) => {
    const end = seq + count
    const lane = async () => {
      while (seq < end) await post(seq++)
    }
    await Promise.all(Array.from({ length: RAW_CONCURRENCY }, lane))
  }
  await lanes(Math.min(total, 5000))
  await receiver.reset()

  const sampler = new ResourceSampler({ bench: process.pid, receiver: receiver.pid }).start()
  const startNs = nowNs()
  await lanes(total)
  const doneNs = nowNs()
  const { incomplete } = await awaitDeliveries(() => receiver.progress(), total)
  const stats = await receiver.stats()
  const processes = sampler.stop()
  await pool.close()

  const label = `undici → receiver, ${RAW_CONCURRENCY} in flight on ${RAW_CONNECTIONS} connections`
  const result = throughputFigures({
    id: 'raw',
    label,
    startNs,
    ingested: { messages: total, doneNs },
    stats,
    ...(incomplete ? { incomplete } : {}),
  })
  return [{ ...result, processes }]
}
