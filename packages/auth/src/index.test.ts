import { describe, expect, it } from 'vitest'

import * as auth from './index.js'

describe('@lorahooks/auth entry point', () => {
  it('verifies a freshly issued key end to end', async () => {
    const issued = auth.generateApiKey()
    const stored = await auth.hashSecret(issued.secret)
    const presented = auth.parseApiKey(issued.key)
    if (!presented) throw new Error('issued key did not parse')

    const cache = new auth.VerifiedKeyCache()
    expect(presented.id).toBe(issued.id)
    expect(await cache.verify(presented.id, presented.secret, stored)).toBe(true)
    expect(await auth.verifySecret(presented.secret, stored)).toBe(true)
  })
})
