import type { ApplicationRight } from '@lorahooks/auth'
import { Hono, type Context } from 'hono'
import { requireRights } from '../auth.js'
import { readBody } from '../body.js'
import type { AppEnv } from '../context.js'
import type { RouteDeps } from '../deps.js'
import { queueDownlinks, type QueueMode } from '../downlinks.js'
import { checkPathIds, findDevice, findWebhook, param } from '../lookups.js'

const NS = 'pkg/applicationserver'
const WRITE: ApplicationRight[] = ['RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE']
const READ: ApplicationRight[] = ['RIGHT_APPLICATION_TRAFFIC_READ']
/** TTS serves `/api/v3`; `/v3/api` is the spelling of old docs, kept so such clients work. */
const PREFIXES = ['/api/v3', '/v3/api']
const MODES: QueueMode[] = ['push', 'replace']

/**
 * Downlink queue operations. Any key with traffic-down-write on the application may use them
 * (not only the webhook's downlink_api_key). Order: rights, path IDs, webhook, paused, device,
 * body — so an unauthorised caller never learns whether a device or webhook exists.
 */
export function downlinkRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()

  const viaWebhook = (mode: QueueMode) => async (c: Context<AppEnv>) => {
    const applicationId = param(c, 'applicationId')
    const webhookId = param(c, 'webhookId')
    const deviceId = param(c, 'deviceId')
    requireRights(c, applicationId, WRITE)
    checkPathIds(NS, { webhook_id: webhookId, 'end_device_ids.device_id': deviceId })

    const webhook = await findWebhook(deps, applicationId, webhookId)
    if (webhook.config.paused) return c.body(null, 406)
    const device = await findDevice(deps, applicationId, deviceId)

    const body = await readBody(c)
    const format = webhook.config.format
    return c.json({ downlinks: await queueDownlinks(deps, { device, format, body, mode }) })
  }

  const viaDevice = (mode: QueueMode) => async (c: Context<AppEnv>) => {
    const applicationId = param(c, 'applicationId')
    const deviceId = param(c, 'deviceId')
    requireRights(c, applicationId, WRITE)
    checkPathIds(NS, { 'end_device_ids.device_id': deviceId })
    const device = await findDevice(deps, applicationId, deviceId)

    const body = await readBody(c)
    return c.json({ downlinks: await queueDownlinks(deps, { device, format: 'json', body, mode }) })
  }

  const list = async (c: Context<AppEnv>) => {
    const applicationId = param(c, 'applicationId')
    const deviceId = param(c, 'deviceId')
    requireRights(c, applicationId, READ)
    checkPathIds(NS, { 'end_device_ids.device_id': deviceId })
    await findDevice(deps, applicationId, deviceId)

    const items = await deps.store.listDownlinks(applicationId, deviceId)
    return c.json({ downlinks: items.map((entry) => entry.item) })
  }

  for (const prefix of PREFIXES) {
    const devices = `${prefix}/as/applications/:applicationId`
    for (const mode of MODES) {
      routes.post(`${devices}/webhooks/:webhookId/devices/:deviceId/down/${mode}`, viaWebhook(mode))
      routes.post(`${devices}/devices/:deviceId/down/${mode}`, viaDevice(mode))
    }
    routes.get(`${devices}/devices/:deviceId/down`, list)
  }
  return routes
}
