import { nowNs } from '../clock.js'
import type { RunResult } from '../types.js'
import type { ScenarioContext } from './context.js'
import { withLorahooks } from './lorahooks-run.js'
import { throughputFigures } from './measure.js'

/** lorahooks end to end: API ingest (batch, then simulate) → SQLite → worker → receiver. */
export async function e2eScenario(ctx: ScenarioContext): Promise<RunResult[]> {
  return [await batchRun(ctx), await simulateRun(ctx)]
}

function singleWebhook(ctx: ScenarioContext, name: string) {
  return [{ id: 'wh1', baseUrl: `${ctx.receiver.url}/${name}`, path: '/up' }]
}

function batchRun(ctx: ScenarioContext): Promise<RunResult> {
  const { options, receiver } = ctx
  const total = options.messages
  const spec = { id: 'e2e-batch', webhooks: singleWebhook(ctx, 'e2e'), healthyWebhooks: 1 }
  return withLorahooks(ctx, spec, async ({ ingest, waitDelivered }) => {
    const startNs = nowNs()
    await ingest.batches(total, options.batchSize, options.connections)
    const doneNs = nowNs()
    const { incomplete } = await waitDelivered(total)
    return throughputFigures({
      id: spec.id,
      label: `lorahooks e2e, batch ingest (${options.batchSize}/request)`,
      startNs,
      ingested: { messages: total, doneNs },
      stats: await receiver.stats(),
      ...(incomplete ? { incomplete } : {}),
    })
  })
}

function simulateRun(ctx: ScenarioContext): Promise<RunResult> {
  const { options, receiver } = ctx
  const total = options.simulateMessages
  const parallel = options.connections * 4
  const spec = {
    id: 'e2e-simulate',
    webhooks: singleWebhook(ctx, 'e2e'),
    healthyWebhooks: 1,
    connections: parallel,
  }
  return withLorahooks(ctx, spec, async ({ ingest, waitDelivered }) => {
    const startNs = nowNs()
    await ingest.simulated(total, parallel)
    const doneNs = nowNs()
    const { incomplete } = await waitDelivered(total)
    return throughputFigures({
      id: spec.id,
      label: `lorahooks e2e, simulate ingest (${parallel} in flight)`,
      startNs,
      ingested: { messages: total, doneNs },
      stats: await receiver.stats(),
      ...(incomplete ? { incomplete } : {}),
    })
  })
}
