import { nowNs } from '../clock.js'
import { summarize } from '../stats.js'
import type { RunResult } from '../types.js'
import type { ScenarioContext } from './context.js'
import { withLorahooks } from './lorahooks-run.js'
import { throughputFigures } from './measure.js'

/** A feeder that batches sends what arrived in the last 10 ms. */
const BATCH_EVERY_MS = 10

/**
 * A fixed message rate: ingest-to-delivery latency. Run once with one simulate request per
 * message (how TTS-style clients send) and once with a batch every 10 ms (a network-side feeder).
 */
export async function steadyScenario(ctx: ScenarioContext): Promise<RunResult[]> {
  return [await steadyRun(ctx, false), await steadyRun(ctx, true)]
}

function steadyRun(ctx: ScenarioContext, batched: boolean): Promise<RunResult> {
  const { options, receiver } = ctx
  const spec = {
    id: batched ? 'steady-batch' : 'steady',
    webhooks: [{ id: 'wh1', baseUrl: `${receiver.url}/steady`, path: '/up' }],
    healthyWebhooks: 1,
    connections: batched ? 8 : 64,
    warmup: { rate: options.rate, ...(batched ? { batchEveryMs: BATCH_EVERY_MS } : {}) },
  }
  const how = batched ? `batch every ${BATCH_EVERY_MS} ms` : 'simulate, 1 per request'
  return withLorahooks(ctx, spec, async ({ ingest, waitDelivered }) => {
    const startNs = nowNs()
    const sent = await ingest.atRate(
      options.rate,
      options.duration,
      batched ? BATCH_EVERY_MS : undefined,
    )
    const { incomplete } = await waitDelivered(sent)
    const stats = await receiver.stats()
    const label = `lorahooks steady ${options.rate} msg/s for ${options.duration} s (${how})`
    const measured = { id: spec.id, label, startNs, stats, ...(incomplete && { incomplete }) }
    return {
      ...throughputFigures(measured),
      extra: { apiAnswerP99Ms: summarize(ingest.answerMs).p99, targetRate: options.rate },
    }
  })
}
