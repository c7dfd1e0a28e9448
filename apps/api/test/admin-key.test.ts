import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generateApiKey, verifySecret } from '@lorahooks/auth'
import { openStore, type Store } from '@lorahooks/db'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ensureAdminKey } from '../src/admin-key.js'

let dir: string
let store: Store
let printed: string[]
const print = (text: string) => printed.push(text)

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-admin-'))
  store = openStore(path.join(dir, 'test.db'))
  printed = []
})
afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('ensureAdminKey', () => {
  it('generates a key once, prints it once and stores only its hash', async () => {
    expect(await ensureAdminKey(store, undefined, print)).toBe('generated')
    expect(printed).toHaveLength(1)
    const key = /NNSXS\.[A-Z2-7]{39}\.[A-Z2-7]{52}/.exec(printed[0] ?? '')?.[0]
    expect(key).toBeDefined()

    const [, id, secret] = key!.split('.')
    const row = await store.getApiKey(id!)
    expect(row).toMatchObject({ applicationId: null, rights: ['RIGHT_ALL'] })
    expect(row!.secretHash).not.toContain(secret!)
    expect(await verifySecret(secret!, row!.secretHash)).toBe(true)

    expect(await ensureAdminKey(store, undefined, print)).toBe('exists')
    expect(printed).toHaveLength(1)
  })

  it('stores a configured key as admin key, and leaves it alone on the next start', async () => {
    const configured = generateApiKey()
    expect(await ensureAdminKey(store, configured.key, print)).toBe('configured')
    expect(await ensureAdminKey(store, configured.key, print)).toBe('unchanged')
    expect(printed).toEqual([])
    const row = await store.getApiKey(configured.id)
    expect(row?.applicationId).toBeNull()
    expect(await verifySecret(configured.secret, row!.secretHash)).toBe(true)
  })

  it('replaces the stored secret when the configured key changes it', async () => {
    const first = generateApiKey()
    await ensureAdminKey(store, first.key, print)
    const changed = `NNSXS.${first.id}.${generateApiKey().secret}`
    expect(await ensureAdminKey(store, changed, print)).toBe('configured')
    const row = await store.getApiKey(first.id)
    expect(await verifySecret(changed.split('.')[2]!, row!.secretHash)).toBe(true)
  })

  it('revokes every other admin key when a key is configured, a generated one too', async () => {
    await ensureAdminKey(store, undefined, print)
    const generatedId = /NNSXS\.([A-Z2-7]{39})\./.exec(printed[0] ?? '')?.[1]
    const first = generateApiKey()
    await ensureAdminKey(store, first.key, print)
    expect(await store.getApiKey(generatedId!)).toBeUndefined()
    expect(printed.at(-1)).toContain(`revoked admin keys other than LORAHOOKS_ADMIN_API_KEY`)

    const second = generateApiKey()
    expect(await ensureAdminKey(store, second.key, print)).toBe('configured')
    expect(await store.getApiKey(first.id)).toBeUndefined()
    expect((await store.listApiKeys(null)).map((row) => row.id)).toEqual([second.id])

    // Unset again: the configured key stays the admin key, nothing is generated.
    expect(await ensureAdminKey(store, undefined, print)).toBe('exists')
  })
})
