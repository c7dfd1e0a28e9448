import {
  isExpired,
  missingRights,
  parseApiKey,
  VerifiedKeyCache,
  type ApplicationRight,
} from '@lorahooks/auth'
import { permissionDenied, unauthenticated } from '@lorahooks/core'
import type { Store } from '@lorahooks/db'
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv, Principal } from './context.js'
import { requestHeader } from './node-request.js'
import type { RegistryCache } from './registry-cache.js'

export interface AuthDeps {
  store: Store
  keyCache: VerifiedKeyCache
  cache: RegistryCache
  clock: () => number
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

// One message for every failure, so a caller learns nothing about which keys or apps exist.
function invalidCredentials() {
  return unauthenticated(
    'pkg/auth',
    'unauthenticated',
    'the credentials are missing or invalid; send `Authorization: Bearer <API key>`',
  )
}

async function resolvePrincipal(deps: AuthDeps, header: string | undefined): Promise<Principal> {
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1]
  const parsed = token === undefined ? undefined : parseApiKey(token)
  if (parsed === undefined) throw invalidCredentials()

  const row = await deps.cache.apiKey(parsed.id, () => deps.store.getApiKey(parsed.id))
  if (row === undefined || isExpired(row.expiresAt, new Date(deps.clock()))) {
    throw invalidCredentials()
  }

  const valid = await deps.keyCache.verify(parsed.id, parsed.secret, row.secretHash)
  if (!valid) throw invalidCredentials()
  return { keyId: row.id, applicationId: row.applicationId, rights: row.rights }
}

/** Requires a valid API key on every request it guards and puts the caller in `principal`. */
export function authenticate(deps: AuthDeps): MiddlewareHandler<AppEnv> {
  return async function authenticateMiddleware(c, next) {
    c.set('principal', await resolvePrincipal(deps, requestHeader(c, 'authorization')))
    await next()
  }
}

export function isAdmin(principal: Principal): boolean {
  return principal.applicationId === null
}

/**
 * Checks the caller's rights on `applicationId`; admin keys may do everything. Routes call this
 * first, before they look at any device, webhook or body.
 */
export function requireRights(
  c: Context<AppEnv>,
  applicationId: string,
  rights: readonly ApplicationRight[],
): Principal {
  const principal = c.get('principal')
  c.set('applicationId', applicationId)
  if (isAdmin(principal)) return principal

  if (principal.applicationId !== applicationId) {
    throw permissionDenied(
      'pkg/auth',
      'no_application_rights',
      `permission denied for application ${applicationId}`,
      { application_id: applicationId },
    )
  }
  const missing = missingRights(principal.rights, rights)
  if (missing.length > 0) {
    throw permissionDenied(
      'pkg/auth',
      'insufficient_application_rights',
      `the API key lacks ${missing.join(', ')} on application ${applicationId}`,
      { application_id: applicationId, missing_rights: missing },
    )
  }
  return principal
}

/** Whether the caller holds `rights` on `applicationId`, without refusing anything. */
export function holdsRights(
  c: Context<AppEnv>,
  applicationId: string,
  rights: readonly ApplicationRight[],
): boolean {
  const principal = c.get('principal')
  if (isAdmin(principal)) return true
  return (
    principal.applicationId === applicationId && missingRights(principal.rights, rights).length === 0
  )
}

export function requireAdmin(c: Context<AppEnv>): Principal {
  const principal = c.get('principal')
  if (!isAdmin(principal)) {
    throw permissionDenied('pkg/auth', 'admin_required', 'this operation needs an admin API key')
  }
  return principal
}
