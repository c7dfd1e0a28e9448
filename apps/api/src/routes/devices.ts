import {
  checkId,
  isValidDevAddr,
  isValidEui,
  validationError,
  type FieldViolation,
} from '@lorahooks/core'
import type { DeviceRow } from '@lorahooks/db'
import { Hono } from 'hono'
import { requireRights } from '../auth.js'
import { isObject, readJsonObject } from '../body.js'
import { snakeKeys } from '../case.js'
import type { AppEnv } from '../context.js'
import { isoTime, type RouteDeps } from '../deps.js'
import { checkPathIds, ensureApplication, findDevice } from '../lookups.js'
import { deviceView } from '../views.js'

const NS = 'pkg/registry'
const PREFIX = 'end_device.ids'

type HexKey = 'dev_eui' | 'join_eui' | 'dev_addr'
type HexCheck = (value: unknown) => boolean

const HEX_FIELDS: Array<[key: HexKey, check: HexCheck, rule: string]> = [
  ['dev_eui', isValidEui, '16 hex digits'],
  ['join_eui', isValidEui, '16 hex digits'],
  ['dev_addr', isValidDevAddr, '8 hex digits'],
]

function checkDevice(device: Record<string, unknown>, applicationId: string): FieldViolation[] {
  const ids = isObject(device['ids']) ? device['ids'] : {}
  const violations: FieldViolation[] = []
  const idProblem = checkId(`${PREFIX}.device_id`, ids['device_id'])
  if (idProblem) violations.push(idProblem)

  const appIds = ids['application_ids']
  const bodyAppId = isObject(appIds) ? appIds['application_id'] : undefined
  if (bodyAppId !== undefined && bodyAppId !== applicationId) {
    violations.push({
      field: `${PREFIX}.application_ids.application_id`,
      message: `must match the application in the path (${applicationId})`,
    })
  }
  for (const [key, check, rule] of HEX_FIELDS) {
    const value = ids[key]
    if (value !== undefined && value !== null && value !== '' && !check(value)) {
      violations.push({ field: `${PREFIX}.${key}`, message: `must be ${rule}` })
    }
  }
  for (const field of ['name', 'description']) {
    const value = device[field]
    if (value !== undefined && value !== null && typeof value !== 'string') {
      violations.push({ field: `end_device.${field}`, message: 'must be a string' })
    }
  }
  return violations
}

function readDevice(body: Record<string, unknown>, applicationId: string, now: string): DeviceRow {
  const device = body['end_device']
  if (!isObject(device)) {
    throw validationError(NS, [{ field: 'end_device', message: 'is required' }])
  }
  const violations = checkDevice(device, applicationId)
  if (violations.length > 0) throw validationError(NS, violations)

  const ids = device['ids'] as Record<string, unknown>
  const row: DeviceRow = {
    applicationId,
    deviceId: ids['device_id'] as string,
    createdAt: now,
    updatedAt: now,
  }
  if (typeof device['name'] === 'string') row.name = device['name']
  if (typeof device['description'] === 'string') row.description = device['description']
  const hex = (key: HexKey) => (typeof ids[key] === 'string' ? ids[key].toUpperCase() : '')
  if (hex('dev_eui')) row.devEui = hex('dev_eui')
  if (hex('join_eui')) row.joinEui = hex('join_eui')
  if (hex('dev_addr')) row.devAddr = hex('dev_addr')
  return row
}

/** The end device registry: the identifiers lorahooks fills into every message. */
export function deviceRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()
  const base = '/api/v3/applications/:applicationId/devices'

  routes.post(base, async (c) => {
    const applicationId = c.req.param('applicationId')
    requireRights(c, applicationId, ['RIGHT_APPLICATION_DEVICES_WRITE'])
    await ensureApplication(deps, c, applicationId)

    const body = snakeKeys(await readJsonObject(c)) as Record<string, unknown>
    const row = readDevice(body, applicationId, isoTime(deps.clock()))

    await deps.store.createDevice(row)
    deps.cache.forgetDevice(applicationId, row.deviceId)
    return c.json(deviceView(row))
  })

  routes.get(base, async (c) => {
    const applicationId = c.req.param('applicationId')
    requireRights(c, applicationId, ['RIGHT_APPLICATION_DEVICES_READ'])
    await ensureApplication(deps, c, applicationId)

    const rows = await deps.store.listDevices(applicationId)
    return c.json({ end_devices: rows.map(deviceView) })
  })

  routes.get(`${base}/:deviceId`, async (c) => {
    const { applicationId, deviceId } = c.req.param()
    requireRights(c, applicationId, ['RIGHT_APPLICATION_DEVICES_READ'])
    checkPathIds(NS, { device_id: deviceId })

    return c.json(deviceView(await findDevice(deps, applicationId, deviceId)))
  })

  routes.delete(`${base}/:deviceId`, async (c) => {
    const { applicationId, deviceId } = c.req.param()
    requireRights(c, applicationId, ['RIGHT_APPLICATION_DEVICES_WRITE'])
    checkPathIds(NS, { device_id: deviceId })

    const deleted = await deps.store.deleteDevice(applicationId, deviceId)
    deps.cache.forgetDevice(applicationId, deviceId)
    if (!deleted) {
      await findDevice(deps, applicationId, deviceId)
    }
    return c.json({})
  })

  return routes
}
