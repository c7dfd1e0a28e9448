import { nowNs } from '../clock.js'
import type { RunResult } from '../types.js'
import type { ScenarioContext } from './context.js'
import { withLorahooks } from './lorahooks-run.js'
import { throughputFigures } from './measure.js'

/** One message to many webhooks: per-delivery throughput, compared with one webhook. */
export async function fanoutScenario(ctx: ScenarioContext): Promise<RunResult[]> {
  const { options, receiver } = ctx
  const count = options.fanoutWebhooks
  const messages = Math.ceil(options.messages / count)
  const webhooks = Array.from({ length: count }, (_, index) => ({
    id: `wh${index}`,
    baseUrl: `${receiver.url}/fan${index}`,
    path: '/up',
  }))
  const spec = { id: 'fanout', webhooks, healthyWebhooks: count }
  const result = await withLorahooks(ctx, spec, async ({ ingest, waitDelivered }) => {
    const startNs = nowNs()
    await ingest.batches(messages, options.batchSize, options.connections)
    const doneNs = nowNs()
    const { incomplete } = await waitDelivered(messages * count)
    return throughputFigures({
      id: spec.id,
      label: `lorahooks fan-out, 1 message → ${count} webhooks`,
      startNs,
      ingested: { messages, doneNs },
      stats: await receiver.stats(),
      ...(incomplete ? { incomplete } : {}),
    })
  })
  return [result]
}
