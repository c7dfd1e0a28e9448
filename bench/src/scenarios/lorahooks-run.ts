import { Ingest } from '../lorahooks/ingest.js'
import { ApiClient } from '../../../test/support/api-client.js'
import {
  addWebhook,
  startLorahooks,
  type LorahooksStack,
  type WebhookSpec,
} from '../lorahooks/stack.js'
import type { Progress } from '../receiver/protocol.js'
import { ResourceSampler } from '../procs/sampler.js'
import type { RunResult } from '../types.js'
import type { ScenarioContext } from './context.js'
import { awaitDeliveries, type WaitResult } from './wait.js'

export interface RunSpec {
  id: string
  webhooks: WebhookSpec[]
  /** Webhooks that answer; each message is counted once per healthy webhook. */
  healthyWebhooks: number
  workerEnv?: Record<string, string>
  /** Keep-alive connections to the API. */
  connections?: number
  /**
   * Send at this rate for `--warmup` seconds before measuring (how the run itself sends:
   * one simulate request per message, or a batch every `batchEveryMs`).
   */
  warmup?: { rate: number; batchEveryMs?: number }
  /** Webhooks created only after the warm-up, so that the measured run sees them new. */
  lateWebhooks?: WebhookSpec[]
  sampleIntervalMs?: number
}

export interface LorahooksRun {
  stack: LorahooksStack
  ingest: Ingest
  sampler: ResourceSampler
  /** Waits for `count` answered deliveries (see awaitDeliveries); throws if the worker died. */
  waitDelivered(count: number, onProgress?: (progress: Progress) => void): Promise<WaitResult>
}

/**
 * Runs `body` against a fresh lorahooks (API + worker + new database) that was warmed up with
 * a first batch delivered end to end, which also proves the worker is up. Adds peak RSS, CPU
 * and database size of the run to the figures `body` returns.
 */
export async function withLorahooks(
  ctx: ScenarioContext,
  spec: RunSpec,
  body: (run: LorahooksRun) => Promise<RunResult>,
): Promise<RunResult> {
  const { options, receiver } = ctx
  const stack = await startLorahooks({
    webhooks: spec.webhooks,
    devices: options.devices,
    ...(spec.workerEnv ? { workerEnv: spec.workerEnv } : {}),
    cpuProfDir: ctx.profileDir(spec.id),
  })
  const ingest = new Ingest(
    stack.apiUrl,
    stack.adminKey,
    options.devices,
    spec.connections ?? options.connections,
  )
  let workerExit: number | null | undefined
  void stack.worker.exited.then((code) => (workerExit = code))

  const waitDelivered = (count: number, onProgress?: (progress: Progress) => void) =>
    awaitDeliveries(() => receiver.progress(), count, {
      check: () => {
        if (workerExit === undefined) return
        throw new Error(`worker exited with ${workerExit}:\n${stack.worker.tail()}`)
      },
      ...(onProgress ? { onProgress } : {}),
    })

  try {
    await receiver.reset()
    const warm = Math.min(options.batchSize, 200)
    await ingest.batches(warm, options.batchSize, 1)
    const warmed = await waitDelivered(warm * spec.healthyWebhooks)
    if (warmed.incomplete) throw new Error(`warm-up: ${warmed.incomplete}`)
    if (spec.warmup && options.warmup > 0) {
      const { rate, batchEveryMs } = spec.warmup
      const sent = await ingest.atRate(rate, options.warmup, batchEveryMs)
      const warmedUp = await waitDelivered(sent * spec.healthyWebhooks)
      if (warmedUp.incomplete) throw new Error(`warm-up at ${rate}/s: ${warmedUp.incomplete}`)
    }
    const admin = new ApiClient(stack.apiUrl, stack.adminKey)
    for (const webhook of spec.lateWebhooks ?? []) await addWebhook(admin, webhook)
    await receiver.reset()
    ingest.answerMs.length = 0

    const sampler = new ResourceSampler(
      { api: stack.api.pid, worker: stack.worker.pid, receiver: receiver.pid },
      stack.database,
      spec.sampleIntervalMs,
    ).start()
    const result = await body({ stack, ingest, sampler, waitDelivered }).catch((error) => {
      sampler.stop()
      throw error
    })
    const processes = sampler.stop()
    return { ...result, processes, peakDatabaseBytes: sampler.peakDatabaseBytes() }
  } finally {
    await ingest.close()
    await stack.stop()
  }
}
