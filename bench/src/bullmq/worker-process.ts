import { Worker } from 'bullmq'
import { Pool } from 'undici'

/*
 * The baseline's consumer, as a Node team would write it: a BullMQ worker in a process of its
 * own that POSTs each job's body with undici and fails the job on a non-2xx answer.
 */

const env = (name: string) => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

const concurrency = Number(env('BENCH_CONCURRENCY'))
const target = new URL(env('BENCH_TARGET'))
const pool = new Pool(target.origin, { connections: concurrency, keepAliveTimeout: 60_000 })
const headers = { 'content-type': 'application/json' }

const worker = new Worker<{ body: string }>(
  env('BENCH_QUEUE'),
  async (job) => {
    const response = await pool.request({
      method: 'POST',
      path: target.pathname,
      headers,
      body: job.data.body,
    })
    await response.body.dump()
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new Error(`endpoint answered ${response.statusCode}`)
    }
  },
  {
    connection: { host: env('BENCH_REDIS_HOST'), port: Number(env('BENCH_REDIS_PORT')) },
    concurrency,
    removeOnComplete: { count: 0 },
    removeOnFail: { count: 1000 },
  },
)

worker.on('error', (error) => process.stderr.write(`bullmq worker: ${error.message}\n`))
await worker.waitUntilReady()
process.send?.({ type: 'ready' })
process.on('disconnect', () => {
  void worker.close().then(() => pool.close()).then(() => process.exit(0))
})
