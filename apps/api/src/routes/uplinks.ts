import type { ApplicationRight } from '@lorahooks/auth'
import {
  checkId,
  invalidArgument,
  notFound,
  validationError,
  type FieldViolation,
} from '@lorahooks/core'
import type { DeviceRow, NewMessage } from '@lorahooks/db'
import { parseJsonLossless } from '@lorahooks/formatters'
import { Hono } from 'hono'
import { requireRights } from '../auth.js'
import { BATCH_BODY_LIMIT_BYTES, isObject, readJsonObject } from '../body.js'
import type { AppEnv } from '../context.js'
import { isoTime, type RouteDeps } from '../deps.js'
import { checkPathIds, ensureApplication, findDevice } from '../lookups.js'
import { namedIds, prepareUplink } from '../uplinks.js'

const NS = 'pkg/applicationserver'
const RIGHTS: ApplicationRight[] = ['RIGHT_APPLICATION_TRAFFIC_UP_WRITE']
export const MAX_BATCH_MESSAGES = 10_000
/** Past this many distinct devices one listDevices beats a lookup per device. */
const DEVICE_LOOKUP_LIMIT = 50
const MAX_REPORTED_VIOLATIONS = 100

function checkNamedIds(
  input: Record<string, unknown>,
  applicationId: string,
  prefix: string,
  deviceId?: string,
): FieldViolation[] {
  const named = namedIds(input)
  const violations: FieldViolation[] = []
  if (named.applicationId !== undefined && named.applicationId !== applicationId) {
    violations.push({
      field: `${prefix}end_device_ids.application_ids.application_id`,
      message: `must match the application in the path (${applicationId})`,
    })
  }
  if (deviceId !== undefined && named.deviceId !== undefined && named.deviceId !== deviceId) {
    violations.push({
      field: `${prefix}end_device_ids.device_id`,
      message: `must match the device in the path (${deviceId})`,
    })
  }
  return violations
}

async function loadDevices(deps: RouteDeps, applicationId: string, deviceIds: Set<string>) {
  const devices = new Map<string, DeviceRow>()
  if (deviceIds.size > DEVICE_LOOKUP_LIMIT) {
    for (const device of await deps.store.listDevices(applicationId)) {
      devices.set(device.deviceId, device)
    }
    return devices
  }
  for (const deviceId of deviceIds) {
    const device = await deps.store.getDevice(applicationId, deviceId)
    if (device) devices.set(deviceId, device)
  }
  return devices
}

function readBatchList(body: Record<string, unknown>): Record<string, unknown>[] {
  const list = body['messages']
  if (!Array.isArray(list)) {
    throw validationError(NS, [{ field: 'messages', message: 'must be a list of ApplicationUp' }])
  }
  if (list.length > MAX_BATCH_MESSAGES) {
    throw validationError(NS, [
      { field: 'messages', message: `holds ${list.length} messages; the maximum is 10000` },
    ])
  }
  const notObject = list.findIndex((item) => !isObject(item))
  if (notObject !== -1) {
    throw validationError(NS, [{ field: `messages[${notObject}]`, message: 'must be an object' }])
  }
  return list as Record<string, unknown>[]
}

function batchDeviceIds(list: Record<string, unknown>[], applicationId: string): string[] {
  const violations: FieldViolation[] = []
  const ids = list.map((item, index) => {
    const prefix = `messages[${index}].`
    const { deviceId } = namedIds(item)
    const problem = checkId(`${prefix}end_device_ids.device_id`, deviceId)
    if (problem) violations.push(problem)
    violations.push(...checkNamedIds(item, applicationId, prefix))
    return deviceId as string
  })
  if (violations.length > 0) throw refuseBatch(violations)
  return ids
}

/** Uplink ingestion: TTS's simulate endpoint and a batch endpoint for network-side feeders. */
export function uplinkRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()

  routes.post('/api/v3/as/applications/:applicationId/devices/:deviceId/up/simulate', async (c) => {
    const { applicationId, deviceId } = c.req.param()
    requireRights(c, applicationId, RIGHTS)
    checkPathIds(NS, { 'end_device_ids.device_id': deviceId })
    const device = await findDevice(deps, applicationId, deviceId)

    const input = await readJsonObject(c, { parse: parseJsonLossless })
    if (input['simulated'] === true) {
      throw invalidArgument(NS, 'simulated', 'the message is already marked as simulated', {
        field: 'simulated',
      })
    }
    const mismatched = checkNamedIds(input, applicationId, '', deviceId)
    if (mismatched.length > 0) throw validationError(NS, mismatched)

    const receivedAt = isoTime(deps.clock())
    const prepared = prepareUplink(input, device, { receivedAt, simulated: true })
    if (prepared.violations) throw validationError(NS, prepared.violations)

    await deps.batcher.submit([prepared.message])
    deps.metrics.countAccepted('simulate', 1)
    return c.json({})
  })

  routes.post('/api/v3/as/applications/:applicationId/up/batch', async (c) => {
    const applicationId = c.req.param('applicationId')
    requireRights(c, applicationId, RIGHTS)
    await ensureApplication(deps, c, applicationId)

    const limit = BATCH_BODY_LIMIT_BYTES
    const body = await readJsonObject(c, { limit, parse: parseJsonLossless })
    const list = readBatchList(body)
    const ids = batchDeviceIds(list, applicationId)
    const devices = await loadDevices(deps, applicationId, new Set(ids))

    const receivedAt = isoTime(deps.clock())
    const messages: NewMessage[] = []
    const violations: FieldViolation[] = []
    list.forEach((item, index) => {
      const device = devices.get(ids[index] as string)
      if (!device) throw unknownBatchDevice(applicationId, ids[index] as string, index)
      const prepared = prepareUplink(item, device, { receivedAt, simulated: false })
      if (prepared.violations) {
        for (const v of prepared.violations) {
          violations.push({ field: `messages[${index}].${v.field}`, message: v.message })
        }
      } else {
        messages.push(prepared.message)
      }
    })
    if (violations.length > 0) throw refuseBatch(violations)

    await deps.batcher.submit(messages)
    deps.metrics.countAccepted('batch', messages.length)
    return c.json({ accepted: messages.length })
  })

  return routes
}

// Reporting every problem of 10,000 messages would make the answer larger than the request.
function refuseBatch(violations: FieldViolation[]) {
  return validationError(NS, violations.slice(0, MAX_REPORTED_VIOLATIONS))
}

function unknownBatchDevice(applicationId: string, deviceId: string, index: number) {
  const field = `messages[${index}].end_device_ids.device_id`
  return notFound(
    NS,
    'device_not_found',
    `end device \`${deviceId}\` of \`${field}\` not found in application \`${applicationId}\``,
    { field, application_id: applicationId, device_id: deviceId },
  )
}
