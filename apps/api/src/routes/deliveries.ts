import type { ApplicationRight } from '@lorahooks/auth'
import { GrpcCode, LorahooksError, notFound } from '@lorahooks/core'
import type { DeliveryRow } from '@lorahooks/db'
import { Hono, type Context } from 'hono'
import { holdsRights, requireRights } from '../auth.js'
import { readJsonObject } from '../body.js'
import { snakeKeys } from '../case.js'
import type { AppEnv } from '../context.js'
import type { RouteDeps } from '../deps.js'
import { readDeliveryId, readDeliveryQuery, readResendFailed } from '../delivery-query.js'
import { attemptView, deliveryView } from '../delivery-views.js'
import { checkPathIds, findWebhook, param } from '../lookups.js'
import { WEBHOOK_READ, WEBHOOK_WRITE } from '../webhook-rights.js'

const NS = 'pkg/applicationserver/io/web'
const UNFINISHED = new Set(['pending', 'inflight'])

interface Target {
  applicationId: string
  webhookId: string
}

function deliveryNotFound(target: Target, id: number) {
  return notFound(NS, 'delivery_not_found', `delivery \`${id}\` not found`, {
    application_id: target.applicationId,
    webhook_id: target.webhookId,
    delivery_id: String(id),
  })
}

// ABORTED (409): the request is fine, the delivery's current state is not.
function notFinished(delivery: DeliveryRow) {
  return new LorahooksError({
    namespace: NS,
    name: 'delivery_not_finished',
    message: `delivery \`${delivery.id}\` is not finished (${delivery.state}); it is still queued`,
    code: GrpcCode.ABORTED,
    attributes: { delivery_id: String(delivery.id), state: delivery.state },
  })
}

/** The attempt log of a webhook: list, inspect and re-send its deliveries. */
export function deliveryRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()
  const base = '/api/v3/as/webhooks/:applicationId/:webhookId/deliveries'

  const authorize = (c: Context<AppEnv>, rights: readonly ApplicationRight[]): Target => {
    const target = { applicationId: param(c, 'applicationId'), webhookId: param(c, 'webhookId') }
    requireRights(c, target.applicationId, rights)
    checkPathIds(NS, { webhook_id: target.webhookId })
    return target
  }

  const findDelivery = async (target: Target, id: number) => {
    await findWebhook(deps, target.applicationId, target.webhookId)
    const delivery = await deps.store.getDelivery(target.applicationId, target.webhookId, id)
    if (!delivery) throw deliveryNotFound(target, id)
    return delivery
  }

  routes.get(base, async (c) => {
    const target = authorize(c, WEBHOOK_READ)
    const query = readDeliveryQuery((name) => c.req.query(name))
    await findWebhook(deps, target.applicationId, target.webhookId)

    // One row more than asked tells whether another page follows.
    const rows = await deps.store.findDeliveries({ ...target, ...query, limit: query.limit + 1 })
    const page = rows.slice(0, query.limit)
    const answer: Record<string, unknown> = { deliveries: page.map(deliveryView) }
    const last = page.at(-1)
    if (rows.length > query.limit && last) answer['next_page_token'] = String(last.id)
    return c.json(answer)
  })

  routes.get(`${base}/:deliveryId`, async (c) => {
    const target = authorize(c, WEBHOOK_READ)
    const id = readDeliveryId(param(c, 'deliveryId'))

    const { attemptLog, ...delivery } = await findDelivery(target, id)
    const redact = !holdsRights(c, target.applicationId, WEBHOOK_WRITE)
    const log = attemptLog.map((row) => attemptView(row, redact))
    return c.json({ ...deliveryView(delivery), attempt_log: log })
  })

  routes.post(`${base}/resend`, async (c) => {
    const target = authorize(c, WEBHOOK_WRITE)
    const body = snakeKeys(await readJsonObject(c)) as Record<string, unknown>
    const { since } = readResendFailed(body)
    await findWebhook(deps, target.applicationId, target.webhookId)

    const { applicationId, webhookId } = target
    const resent = await deps.store.resendFailed(applicationId, webhookId, since, deps.clock())
    return c.json({ resent })
  })

  routes.post(`${base}/:deliveryId/resend`, async (c) => {
    const target = authorize(c, WEBHOOK_WRITE)
    const id = readDeliveryId(param(c, 'deliveryId'))

    const delivery = await findDelivery(target, id)
    if (UNFINISHED.has(delivery.state)) throw notFinished(delivery)
    const { applicationId, webhookId } = target
    if (!(await deps.store.resendDelivery(applicationId, webhookId, id, deps.clock()))) {
      // Someone re-sent it in between: report the state it has now.
      throw notFinished(await findDelivery(target, id))
    }
    return c.json({})
  })

  return routes
}
