import { Hono } from 'hono'
import { requireRights } from '../auth.js'
import { readJsonObject } from '../body.js'
import { snakeKeys } from '../case.js'
import type { AppEnv } from '../context.js'
import { isoTime, type RouteDeps } from '../deps.js'
import { checkPathIds, ensureApplication, param, webhookNotFound } from '../lookups.js'
import { readGracePeriod, rotateSecret } from '../signing-secret.js'
import { WEBHOOK_WRITE } from '../webhook-rights.js'

const NS = 'pkg/applicationserver/io/web'

/** Rotation of a webhook's Standard Webhooks signing secret (a lorahooks extension). */
export function signingSecretRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()
  const path = '/api/v3/as/webhooks/:applicationId/:webhookId/signing-secret/rotate'

  routes.post(path, async (c) => {
    const applicationId = param(c, 'applicationId')
    const webhookId = param(c, 'webhookId')
    requireRights(c, applicationId, WEBHOOK_WRITE)
    await ensureApplication(deps, c, applicationId)
    checkPathIds(NS, { webhook_id: webhookId })

    const body = snakeKeys(await readJsonObject(c)) as Record<string, unknown>
    const graceMs = readGracePeriod(body)

    const now = deps.clock()
    const row = await deps.store.writeWebhook(
      applicationId,
      webhookId,
      (existing) => {
        if (!existing) throw webhookNotFound(applicationId, webhookId)
        return rotateSecret(existing, graceMs, now)
      },
      isoTime(now),
    )

    const answer: Record<string, string> = { signing_secret: row.signingSecret ?? '' }
    if (row.previousSecretUntil) answer['previous_valid_until'] = row.previousSecretUntil
    return c.json(answer)
  })

  return routes
}
