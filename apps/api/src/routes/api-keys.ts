import {
  checkRights,
  generateApiKey,
  hashSecret,
  missingRights,
  type ApplicationRight,
} from '@lorahooks/auth'
import {
  notFound,
  permissionDenied,
  validationError,
  type FieldViolation,
} from '@lorahooks/core'
import type { ApiKeyRow } from '@lorahooks/db'
import { Hono, type Context } from 'hono'
import { isAdmin, requireRights } from '../auth.js'
import { isObject, readJsonObject } from '../body.js'
import { snakeKeys } from '../case.js'
import type { AppEnv, Principal } from '../context.js'
import { isoTime, type RouteDeps } from '../deps.js'
import { maskFromBody } from '../field-mask.js'
import { ensureApplication, param } from '../lookups.js'
import { apiKeyView } from '../views.js'

const NS = 'pkg/identityserver'
const NAME_MAX = 50
const RIGHT: ApplicationRight[] = ['RIGHT_APPLICATION_SETTINGS_API_KEYS']
const UPDATABLE = ['name', 'rights', 'expires_at']

interface KeyFields {
  name?: string | undefined
  rights?: ApplicationRight[]
  expiresAt?: string | undefined
}

function readName(value: unknown, violations: FieldViolation[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string' && value.length <= NAME_MAX) return value
  violations.push({ field: 'name', message: `must be a string of at most ${NAME_MAX} characters` })
  return undefined
}

function readExpiry(value: unknown, now: number, violations: FieldViolation[]) {
  if (value === undefined || value === null || value === '') return undefined
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN
  if (Number.isNaN(time)) {
    violations.push({ field: 'expires_at', message: 'must be an RFC 3339 timestamp' })
    return undefined
  }
  if (time <= now) violations.push({ field: 'expires_at', message: 'must be in the future' })
  return new Date(time).toISOString()
}

/** Reads the named fields; a field named but absent is cleared (rights may not be). */
function readKeyFields(input: Record<string, unknown>, fields: string[], now: number): KeyFields {
  const violations: FieldViolation[] = []
  const out: KeyFields = {}
  if (fields.includes('name')) out.name = readName(input['name'], violations)
  if (fields.includes('expires_at')) {
    out.expiresAt = readExpiry(input['expires_at'], now, violations)
  }
  if (fields.includes('rights')) {
    const checked = checkRights(input['rights'])
    violations.push(...checked.violations)
    out.rights = checked.rights
  }
  if (violations.length > 0) throw validationError(NS, violations)
  return out
}

// TTS rule: nobody hands out rights they do not hold themselves.
function ensureGrantable(principal: Principal, rights: readonly ApplicationRight[]): void {
  ensureHeld(principal, rights, 'an API key cannot grant rights its creator lacks')
}

/**
 * Changing a key (its rights, name or expiry) or deleting it needs every right it has, and every
 * right it is given: otherwise a key that may only manage keys could strip, expire or delete a
 * more powerful one.
 */
function ensureChangeable(
  principal: Principal,
  from: readonly ApplicationRight[],
  to: readonly ApplicationRight[],
): void {
  const involved = [...from, ...to.filter((right) => !from.includes(right))]
  ensureHeld(principal, involved, 'an API key cannot change a key with rights its caller lacks')
}

function ensureHeld(principal: Principal, rights: readonly ApplicationRight[], why: string): void {
  if (isAdmin(principal)) return
  const missing = missingRights(principal.rights, rights)
  if (missing.length === 0) return
  throw permissionDenied('pkg/auth', 'rights_not_held', `${why}: ${missing.join(', ')}`, {
    missing_rights: missing,
  })
}

async function findKey(deps: RouteDeps, applicationId: string, keyId: string) {
  const row = await deps.store.getApiKey(keyId)
  if (row && row.applicationId === applicationId) return row
  throw notFound(NS, 'api_key_not_found', `API key \`${keyId}\` not found`, { key_id: keyId })
}

/** The update body in TTS shape `{api_key, field_mask}` or flat `{name, rights, expires_at}`. */
function readUpdate(body: Record<string, unknown>): {
  input: Record<string, unknown>
  fields: string[]
} {
  const input = isObject(body['api_key']) ? body['api_key'] : body
  const mask = maskFromBody(body['field_mask'])
  const fields = mask ?? UPDATABLE.filter((field) => input[field] !== undefined)
  const unknown = fields.filter((field) => !UPDATABLE.includes(field))
  if (unknown.length > 0) {
    throw validationError(NS, [
      { field: 'field_mask.paths', message: `cannot update ${unknown.join(', ')}` },
    ])
  }
  return { input, fields }
}

/** Application API keys; the secret is shown once, in the answer to the creation. */
export function apiKeyRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()
  const base = '/api/v3/applications/:applicationId/api-keys'

  const authorize = async (c: Context<AppEnv>) => {
    const applicationId = param(c, 'applicationId')
    const principal = requireRights(c, applicationId, RIGHT)
    await ensureApplication(deps, c, applicationId)
    return { applicationId, principal }
  }

  routes.post(base, async (c) => {
    const { applicationId, principal } = await authorize(c)

    const body = snakeKeys(await readJsonObject(c)) as Record<string, unknown>
    const now = deps.clock()
    const fields = readKeyFields(body, ['name', 'rights', 'expires_at'], now)
    const rights = fields.rights ?? []
    ensureGrantable(principal, rights)

    const generated = generateApiKey()
    const row: ApiKeyRow = {
      id: generated.id,
      applicationId,
      rights,
      secretHash: await hashSecret(generated.secret),
      createdAt: isoTime(now),
      updatedAt: isoTime(now),
    }
    if (fields.name !== undefined) row.name = fields.name
    if (fields.expiresAt !== undefined) row.expiresAt = fields.expiresAt
    await deps.store.createApiKey(row)
    return c.json(apiKeyView(row, generated.key))
  })

  routes.get(base, async (c) => {
    const { applicationId } = await authorize(c)
    const rows = await deps.store.listApiKeys(applicationId)
    return c.json({ api_keys: rows.map((row) => apiKeyView(row)) })
  })

  routes.get(`${base}/:keyId`, async (c) => {
    const { applicationId } = await authorize(c)
    return c.json(apiKeyView(await findKey(deps, applicationId, param(c, 'keyId'))))
  })

  routes.put(`${base}/:keyId`, async (c) => {
    const { applicationId, principal } = await authorize(c)
    const existing = await findKey(deps, applicationId, param(c, 'keyId'))

    const body = snakeKeys(await readJsonObject(c)) as Record<string, unknown>
    const { input, fields } = readUpdate(body)
    const now = deps.clock()
    const changes = readKeyFields(input, fields, now)
    const held = existing.rights as ApplicationRight[]
    ensureChangeable(principal, held, changes.rights ?? [])

    const row: ApiKeyRow = { ...existing, ...definedOnly(changes, fields), updatedAt: isoTime(now) }
    await deps.store.updateApiKey(row)
    deps.cache.forgetApiKey(row.id)
    return c.json(apiKeyView(row))
  })

  routes.delete(`${base}/:keyId`, async (c) => {
    const { applicationId, principal } = await authorize(c)
    const existing = await findKey(deps, applicationId, param(c, 'keyId'))
    ensureChangeable(principal, existing.rights as ApplicationRight[], [])
    await deps.store.deleteApiKey(existing.id)
    deps.cache.forgetApiKey(existing.id)
    return c.json({})
  })

  return routes
}

function definedOnly(changes: KeyFields, fields: string[]): Partial<ApiKeyRow> {
  const out: Partial<ApiKeyRow> = {}
  if (fields.includes('name')) out.name = changes.name
  if (fields.includes('rights') && changes.rights) out.rights = changes.rights
  if (fields.includes('expires_at')) out.expiresAt = changes.expiresAt
  return out
}
