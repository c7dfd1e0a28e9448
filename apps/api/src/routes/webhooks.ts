import { isLorahooksError, permissionDenied } from '@lorahooks/core'
import { Hono, type Context } from 'hono'
import { holdsRights, requireRights } from '../auth.js'
import { readJsonObject } from '../body.js'
import type { AppEnv } from '../context.js'
import { isoTime, type RouteDeps } from '../deps.js'
import { checkWebhookReadMask, maskFromQuery, SIGNING_SECRET_PATH } from '../field-mask.js'
import { checkPathIds, ensureApplication, findWebhook, param } from '../lookups.js'
import { decideSet, effectivePaths, readSetBody, type SetRequest } from '../webhook-set.js'
import { webhookView, webhookViewFields } from '../views.js'
import { WEBHOOK_READ as READ, WEBHOOK_WRITE as WRITE } from '../webhook-rights.js'

const NS = 'pkg/applicationserver/io/web'

/**
 * Fields that hold secrets: the signing secret, the key the receiver uses to push downlinks,
 * and the headers (a receiver's Authorization). Reading them needs the rights to manage the
 * webhook; TTS shows the last two with TRAFFIC_READ alone, lorahooks deliberately does not.
 * URL passwords and query values (query tokens) are shown to those callers only, too.
 */
const SECRET_FIELDS = [SIGNING_SECRET_PATH, 'downlink_api_key', 'headers']

/** The fields to show; secret fields only to callers that may manage the webhook. */
function readMask(c: Context<AppEnv>, applicationId: string): Set<string> {
  const paths = maskFromQuery(c.req.queries())
  checkWebhookReadMask(paths)
  const fields = webhookViewFields(paths)
  const secret = SECRET_FIELDS.find((field) => fields.has(field))
  if (secret !== undefined) requireRightsFor(c, applicationId, secret)
  return fields
}

/** requireRights, with the field that needs the rights named in the refusal. */
function requireRightsFor(c: Context<AppEnv>, applicationId: string, field: string): void {
  try {
    requireRights(c, applicationId, WRITE)
  } catch (error) {
    if (!isLorahooksError(error) || error.errorName !== 'insufficient_application_rights') {
      throw error
    }
    throw permissionDenied(
      error.namespace,
      error.errorName,
      `reading \`${field}\` needs the rights to manage webhooks; ${error.message}`,
      { ...error.attributes, field },
    )
  }
}

/** TTS ApplicationWebhookRegistry: list, get, set (PUT upsert, POST create-only), delete. */
export function webhookRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()
  const base = '/api/v3/as/webhooks/:applicationId'

  const set = async (c: Context<AppEnv>, createOnly: boolean) => {
    const applicationId = param(c, 'applicationId')
    const pathWebhookId = c.req.param('webhookId')
    requireRights(c, applicationId, WRITE)
    await ensureApplication(deps, c, applicationId)
    if (pathWebhookId !== undefined) checkPathIds(NS, { webhook_id: pathWebhookId })

    const body = await readJsonObject(c)
    const { webhook, webhookId, paths } = readSetBody(body, applicationId, pathWebhookId)
    const request: SetRequest = { applicationId, webhookId, webhook, paths, createOnly }

    let usedPaths: string[] = []
    const row = await deps.store.writeWebhook(
      applicationId,
      webhookId,
      (existing) => {
        usedPaths = effectivePaths(request, existing)
        return decideSet(request, existing)
      },
      isoTime(deps.clock()),
    )
    return c.json(webhookView(row, webhookViewFields(usedPaths)))
  }

  routes.get(base, async (c) => {
    const applicationId = c.req.param('applicationId')
    requireRights(c, applicationId, READ)
    await ensureApplication(deps, c, applicationId)
    const fields = readMask(c, applicationId)

    const rows = await deps.store.listWebhooks(applicationId)
    const redact = !holdsRights(c, applicationId, WRITE)
    c.header('X-Total-Count', String(rows.length))
    return c.json({ webhooks: rows.map((row) => webhookView(row, fields, redact)) })
  })

  routes.get(`${base}/:webhookId`, async (c) => {
    const { applicationId, webhookId } = c.req.param()
    requireRights(c, applicationId, READ)
    checkPathIds(NS, { webhook_id: webhookId })
    const fields = readMask(c, applicationId)

    const row = await findWebhook(deps, applicationId, webhookId)
    return c.json(webhookView(row, fields, !holdsRights(c, applicationId, WRITE)))
  })

  routes.put(`${base}/:webhookId`, (c) => set(c, false))
  routes.post(base, (c) => set(c, true))

  routes.delete(`${base}/:webhookId`, async (c) => {
    const { applicationId, webhookId } = c.req.param()
    requireRights(c, applicationId, WRITE)
    checkPathIds(NS, { webhook_id: webhookId })

    await deps.store.deleteWebhook(applicationId, webhookId)
    return c.json({})
  })

  return routes
}
