import { checkId, validationError, type FieldViolation } from '@lorahooks/core'
import type { ApplicationRow } from '@lorahooks/db'
import { Hono, type Context } from 'hono'
import { requireAdmin, requireRights } from '../auth.js'
import { isObject, readJsonObject } from '../body.js'
import { snakeKeys } from '../case.js'
import type { AppEnv } from '../context.js'
import { isoTime, type RouteDeps } from '../deps.js'
import { applicationNotFound, checkPathIds } from '../lookups.js'
import { applicationView } from '../views.js'

const NS = 'pkg/identityserver'
const NAME_MAX = 50
const DESCRIPTION_MAX = 2000

function checkText(field: string, value: unknown, max: number): FieldViolation[] {
  if (value === undefined || value === null) return []
  if (typeof value === 'string' && value.length <= max) return []
  return [{ field, message: `must be a string of at most ${max} characters` }]
}

function readApplication(body: Record<string, unknown>, now: string): ApplicationRow {
  const application = body['application']
  if (!isObject(application)) {
    throw validationError(NS, [{ field: 'application', message: 'is required' }])
  }
  const ids = isObject(application['ids']) ? application['ids'] : {}
  const applicationId = ids['application_id']
  const violations = [
    checkId('application.ids.application_id', applicationId),
    ...checkText('application.name', application['name'], NAME_MAX),
    ...checkText('application.description', application['description'], DESCRIPTION_MAX),
  ].filter((violation): violation is FieldViolation => violation !== undefined)
  if (violations.length > 0) throw validationError(NS, violations)

  const row: ApplicationRow = {
    applicationId: applicationId as string,
    createdAt: now,
    updatedAt: now,
  }
  if (typeof application['name'] === 'string') row.name = application['name']
  if (typeof application['description'] === 'string') row.description = application['description']
  return row
}

/** Applications: admins create, list and delete; application keys may read their own. */
export function applicationRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()

  const create = async (c: Context<AppEnv>) => {
    requireAdmin(c)

    const body = snakeKeys(await readJsonObject(c)) as Record<string, unknown>
    const row = readApplication(body, isoTime(deps.clock()))

    await deps.store.createApplication(row)
    return c.json(applicationView(row))
  }

  const list = async (c: Context<AppEnv>) => {
    requireAdmin(c)
    const rows = await deps.store.listApplications()
    return c.json({ applications: rows.map(applicationView) })
  }

  routes.post('/api/v3/applications', create)
  routes.post('/api/v3/users/:userId/applications', create)
  routes.get('/api/v3/applications', list)
  routes.get('/api/v3/users/:userId/applications', list)

  routes.get('/api/v3/applications/:applicationId', async (c) => {
    const applicationId = c.req.param('applicationId')
    requireRights(c, applicationId, ['RIGHT_APPLICATION_INFO'])
    checkPathIds(NS, { application_id: applicationId })

    const row = await deps.store.getApplication(applicationId)
    if (!row) throw applicationNotFound(applicationId)
    return c.json(applicationView(row))
  })

  routes.delete('/api/v3/applications/:applicationId', async (c) => {
    requireAdmin(c)
    const applicationId = c.req.param('applicationId')
    c.set('applicationId', applicationId)
    checkPathIds(NS, { application_id: applicationId })

    const deleted = await deps.store.deleteApplication(applicationId)
    deps.cache.forgetApplication()
    if (!deleted) {
      throw applicationNotFound(applicationId)
    }
    return c.json({})
  })

  return routes
}
