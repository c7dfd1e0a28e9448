import { nowNs } from '../clock.js'
import type { RunResult } from '../types.js'
import type { ScenarioContext } from './context.js'
import { withLorahooks } from './lorahooks-run.js'
import { throughputFigures } from './measure.js'

const HEALTHY = 10
/** Short, so the black hole's attempts time out and retry within the run. */
const REQUEST_TIMEOUT = '2s'

/**
 * Ten healthy webhooks at a steady rate, once alone and once beside a webhook whose endpoint
 * accepts connections but never answers: the healthy ones' latency must not suffer.
 */
export async function blackholeScenario(ctx: ScenarioContext): Promise<RunResult[]> {
  const control = await healthyRun(ctx, false)
  const withHole = await healthyRun(ctx, true)
  return [control, withHole]
}

function healthyRun(ctx: ScenarioContext, blackhole: boolean): Promise<RunResult> {
  const { options, receiver } = ctx
  const webhooks = Array.from({ length: HEALTHY }, (_, index) => ({
    id: `healthy${index}`,
    baseUrl: `${receiver.url}/healthy${index}`,
    path: '/up',
  }))
  // Added after the warm-up: the measured run covers the black hole from its first attempt.
  const hole = { id: 'blackhole', baseUrl: receiver.blackholeUrl, path: '/up' }
  const spec = {
    id: blackhole ? 'blackhole' : 'blackhole-control',
    webhooks,
    lateWebhooks: blackhole ? [hole] : [],
    healthyWebhooks: HEALTHY,
    connections: 32,
    workerEnv: { LORAHOOKS_REQUEST_TIMEOUT: REQUEST_TIMEOUT },
    warmup: { rate: options.blackholeRate },
  }
  return withLorahooks(ctx, spec, async ({ ingest, waitDelivered }) => {
    const startNs = nowNs()
    const sent = await ingest.atRate(options.blackholeRate, options.blackholeDuration)
    const { incomplete } = await waitDelivered(sent * HEALTHY)
    const stats = await receiver.stats()
    const label = blackhole
      ? `${HEALTHY} healthy webhooks + 1 black hole, ${options.blackholeRate} msg/s`
      : `${HEALTHY} healthy webhooks alone, ${options.blackholeRate} msg/s`
    const measured = { id: spec.id, label, startNs, stats, ...(incomplete && { incomplete }) }
    return {
      ...throughputFigures(measured),
      extra: { blackholeConnections: stats.blackholed },
    }
  })
}
