import { fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { Queue } from 'bullmq'
import { nowNs } from '../clock.js'
import { obtainRedis, redisInfo, type RedisServer } from '../bullmq/redis.js'
import { deliveredUplinkBody } from '../payload.js'
import { ResourceSampler } from '../procs/sampler.js'
import { skippedRun, type RunResult } from '../types.js'
import type { ScenarioContext } from './context.js'
import { throughputFigures } from './measure.js'
import { awaitDeliveries } from './wait.js'

export const BULLMQ_CONCURRENCY = 64
const ADD_BULK = 500
const PRODUCERS = 2
const WORKER_ENTRY = fileURLToPath(new URL('../bullmq/worker-process.ts', import.meta.url))
const LABEL = `BullMQ + Redis, undici worker (concurrency ${BULLMQ_CONCURRENCY})`

function startWorker(redis: RedisServer, queue: string, target: string) {
  const child = fork(WORKER_ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      BENCH_QUEUE: queue,
      BENCH_TARGET: target,
      BENCH_CONCURRENCY: String(BULLMQ_CONCURRENCY),
      BENCH_REDIS_HOST: redis.host,
      BENCH_REDIS_PORT: String(redis.port),
    },
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    void exited.then((code) => reject(new Error(`BullMQ worker exited with ${code}`)))
  })
  const stop = async () => {
    if (child.exitCode === null) child.disconnect()
    await exited
  }
  return { pid: child.pid as number, ready, stop }
}

/** Adds `total` jobs with addBulk, PRODUCERS calls at a time, each stamped when it is sent. */
async function produce(queue: Queue, total: number, seqStart: number): Promise<void> {
  let seq = seqStart
  const end = seqStart + total
  const producer = async () => {
    while (seq < end) {
      const count = Math.min(ADD_BULK, end - seq)
      const sentAt = nowNs()
      const jobs = Array.from({ length: count }, () => {
        const index = seq++
        return { name: 'up', data: { body: deliveredUplinkBody(index % 100, index + 1, sentAt) } }
      })
      await queue.addBulk(jobs)
    }
  }
  await Promise.all(Array.from({ length: PRODUCERS }, producer))
}

/** The usual Node setup: jobs in Redis through BullMQ, a worker process POSTing them. */
export async function bullmqScenario(ctx: ScenarioContext): Promise<RunResult[]> {
  const redis = await obtainRedis()
  if ('skip' in redis) return [skippedRun('bullmq', LABEL, redis.skip)]
  const { receiver, options } = ctx
  const info = await redisInfo(redis.port)
  if (info.version) ctx.noteVersion('redis', info.version)
  const name = `lorahooks-bench-${randomUUID()}`
  const queue = new Queue(name, { connection: { host: redis.host, port: redis.port } })
  const worker = startWorker(redis, name, `${receiver.url}/bullmq`)
  try {
    await worker.ready
    const warm = Math.min(options.messages, 2000)
    await receiver.reset()
    await produce(queue, warm, 0)
    const warmed = await awaitDeliveries(() => receiver.progress(), warm)
    if (warmed.incomplete) throw new Error(`warm-up: ${warmed.incomplete}`)
    await receiver.reset()

    const pids: Record<string, number> = { bullmqWorker: worker.pid, receiver: receiver.pid }
    if (info.pid) pids['redis'] = info.pid
    const sampler = new ResourceSampler({ producer: process.pid, ...pids }).start()
    const total = options.messages
    const startNs = nowNs()
    await produce(queue, total, warm)
    const doneNs = nowNs()
    const { incomplete } = await awaitDeliveries(() => receiver.progress(), total)
    const stats = await receiver.stats()
    const processes = sampler.stop()

    const result = throughputFigures({
      id: 'bullmq',
      label: LABEL,
      startNs,
      ingested: { messages: total, doneNs },
      stats,
      ...(incomplete ? { incomplete } : {}),
    })
    const redisLabel = `${redis.started ? 'private' : 'existing'} Redis ${info.version ?? '?'}`
    return [{ ...result, label: `${LABEL}, ${redisLabel}`, processes }]
  } finally {
    await worker.stop()
    await queue.obliterate({ force: true }).catch(() => undefined)
    await queue.close()
    await redis.stop()
  }
}
