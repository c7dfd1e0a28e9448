import { nowNs, sleep } from '../clock.js'
import type { RunResult } from '../types.js'
import type { ScenarioContext } from './context.js'
import { withLorahooks } from './lorahooks-run.js'
import { throughputFigures } from './measure.js'
import { databaseGrowth, growth } from './trend.js'

/**
 * A long run: batches are ingested as long as the undelivered backlog stays small, so the
 * system runs at its sustained rate; RSS and database size are sampled throughout.
 */
export async function longScenario(ctx: ScenarioContext): Promise<RunResult[]> {
  const { options, receiver } = ctx
  const total = options.longDeliveries
  const backlogLimit = Math.max(options.batchSize * options.connections * 2, 5_000)
  const retained = Math.max(1000, Math.floor(total / 10))
  const spec = {
    id: 'long',
    webhooks: [{ id: 'wh1', baseUrl: `${receiver.url}/long`, path: '/up' }],
    healthyWebhooks: 1,
    sampleIntervalMs: options.smoke ? 200 : 1000,
    // Keep a tenth of the run, so the database must stop growing once retention kicks in.
    workerEnv: { LORAHOOKS_RETENTION_MAX_DELIVERIES: String(retained) },
  }
  const result = await withLorahooks(ctx, spec, async ({ ingest, sampler, waitDelivered }) => {
    let delivered = 0
    let ingested = 0
    let lastReport = Date.now()
    const onProgress = (progress: { total: number }) => {
      delivered = progress.total
      if (Date.now() - lastReport < 10_000) return
      lastReport = Date.now()
      ctx.log(`  long: ${delivered} of ${total} delivered`)
    }
    sampler.countDeliveries(() => delivered)

    const startNs = nowNs()
    let polling = true
    let incomplete: string | undefined
    const poller = (async () => {
      while (polling) {
        onProgress(await receiver.progress())
        await sleep(100)
      }
    })()
    // Same time limit as awaitDeliveries: a run that cannot keep 1,000/s is cut short.
    const deadline = Date.now() + 30_000 + total
    const lane = async () => {
      while (ingested < total && Date.now() < deadline) {
        if (ingested - delivered >= backlogLimit) {
          await sleep(10)
          continue
        }
        const size = Math.min(options.batchSize, total - ingested)
        ingested += size
        await ingest.batch(size)
      }
    }
    try {
      await Promise.all(Array.from({ length: options.connections }, lane))
      incomplete = (await waitDelivered(ingested, onProgress)).incomplete
      if (ingested < total) incomplete = `${ingested} of ${total} ingested within the time limit`
    } finally {
      polling = false
      await poller
    }

    const figures = throughputFigures({
      id: spec.id,
      label: `lorahooks long run, ${total} deliveries`,
      startNs,
      stats: await receiver.stats(),
      ...(incomplete ? { incomplete } : {}),
    })
    const samples = sampler.samples
    const last = samples.at(-1)
    return {
      ...figures,
      series: samples,
      extra: definedOnly({
        rssGrowthApi: growth(samples, (s) => s.rss['api']),
        rssGrowthWorker: growth(samples, (s) => s.rss['worker']),
        databaseGrowth: databaseGrowth(samples, total),
        finalDatabaseMb: (last?.dbBytes ?? 0) / 2 ** 20,
        retainedDeliveries: retained,
      }),
    }
  })
  return [result]
}

/** The figures that could be measured: a run too short for a trend leaves it out. */
function definedOnly(figures: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(figures).filter((entry): entry is [string, number] => entry[1] !== undefined),
  )
}
