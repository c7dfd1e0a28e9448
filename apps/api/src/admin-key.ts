import { generateApiKey, hashSecret, parseApiKey, verifySecret } from '@lorahooks/auth'
import type { ApiKeyRow, Store } from '@lorahooks/db'

export type AdminKeyOutcome = 'configured' | 'unchanged' | 'generated' | 'exists'

const ADMIN_RIGHTS = ['RIGHT_ALL']

async function adminRow(id: string, secret: string, name: string, now: string): Promise<ApiKeyRow> {
  return {
    id,
    applicationId: null,
    name,
    rights: ADMIN_RIGHTS,
    secretHash: await hashSecret(secret),
    createdAt: now,
    updatedAt: now,
  }
}

function banner(key: string): string {
  const rule = '='.repeat(78)
  return [
    rule,
    'lorahooks: no admin API key was configured, so one was generated.',
    'It is shown only this once; store it now (only its hash is kept):',
    '',
    `  ${key}`,
    '',
    'Set LORAHOOKS_ADMIN_API_KEY to use a key of your own instead.',
    rule,
    '',
  ].join('\n')
}

/**
 * Makes sure an admin key exists. A configured key is stored (hash only) as the one admin key:
 * every other admin key (a generated one, an earlier configured one) is revoked, so changing the
 * variable is how an admin key is rotated. Without one, existing admin keys stay; if there are
 * none, a key is generated and written once to `print` (stderr).
 */
export async function ensureAdminKey(
  store: Store,
  configuredKey: string | undefined,
  print: (text: string) => void,
  now = new Date().toISOString(),
): Promise<AdminKeyOutcome> {
  if (configuredKey !== undefined) {
    const parsed = parseApiKey(configuredKey)
    if (!parsed) throw new Error('LORAHOOKS_ADMIN_API_KEY is not a TTS API key')

    await revokeOtherAdminKeys(store, parsed.id, print)
    const existing = await store.getApiKey(parsed.id)
    const isAdmin = existing?.applicationId === null
    if (isAdmin && (await verifySecret(parsed.secret, existing.secretHash))) return 'unchanged'
    if (existing) await store.deleteApiKey(parsed.id)
    await store.createApiKey(await adminRow(parsed.id, parsed.secret, 'admin (configured)', now))
    return 'configured'
  }

  if ((await store.listApiKeys(null)).length > 0) return 'exists'
  const generated = generateApiKey()
  await store.createApiKey(await adminRow(generated.id, generated.secret, 'admin (generated)', now))
  print(banner(generated.key))
  return 'generated'
}

async function revokeOtherAdminKeys(
  store: Store,
  keepId: string,
  print: (text: string) => void,
): Promise<void> {
  const others = (await store.listApiKeys(null)).filter((row) => row.id !== keepId)
  for (const row of others) await store.deleteApiKey(row.id)
  if (others.length === 0) return
  const ids = others.map((row) => row.id).join(', ')
  print(`lorahooks: revoked admin keys other than LORAHOOKS_ADMIN_API_KEY: ${ids}\n`)
}
