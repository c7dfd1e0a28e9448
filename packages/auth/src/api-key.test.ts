import { describe, expect, it } from 'vitest'

import { API_KEY_PREFIX, generateApiKey, parseApiKey } from './api-key.js'

const ID = 'A'.repeat(39)
const SECRET = 'B'.repeat(52)

describe('generateApiKey', () => {
  it('produces a 98-character NNSXS.<id>.<secret> key', () => {
    const { id, secret, key } = generateApiKey()

    expect(API_KEY_PREFIX).toBe('NNSXS')
    expect(id).toMatch(/^[A-Z2-7]{39}$/)
    expect(secret).toMatch(/^[A-Z2-7]{52}$/)
    expect(key).toBe(`NNSXS.${id}.${secret}`)
    expect(key).toHaveLength(98)
  })

  it('never repeats ids or secrets', () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey())

    expect(new Set(keys.map((key) => key.id)).size).toBe(200)
    expect(new Set(keys.map((key) => key.secret)).size).toBe(200)
  })

  it('round-trips through parseApiKey', () => {
    const { id, secret, key } = generateApiKey()

    expect(parseApiKey(key)).toEqual({ id, secret })
  })
})

describe('parseApiKey', () => {
  it('accepts a well-formed key', () => {
    expect(parseApiKey(`NNSXS.${ID}.${SECRET}`)).toEqual({ id: ID, secret: SECRET })
  })

  it('rejects other token types and prefixes', () => {
    expect(parseApiKey(`MFRWG.${ID}.${SECRET}`)).toBeUndefined()
    expect(parseApiKey(`nnsxs.${ID}.${SECRET}`)).toBeUndefined()
    expect(parseApiKey(`.${ID}.${SECRET}`)).toBeUndefined()
  })

  it('rejects wrong lengths', () => {
    expect(parseApiKey(`NNSXS.${ID}A.${SECRET}`)).toBeUndefined()
    expect(parseApiKey(`NNSXS.${ID.slice(1)}.${SECRET}`)).toBeUndefined()
    expect(parseApiKey(`NNSXS.${ID}.${SECRET}B`)).toBeUndefined()
    expect(parseApiKey(`NNSXS.${ID}.${SECRET.slice(1)}`)).toBeUndefined()
  })

  it('rejects characters outside the base32 alphabet', () => {
    expect(parseApiKey(`NNSXS.${ID.slice(1)}1.${SECRET}`)).toBeUndefined()
    expect(parseApiKey(`NNSXS.${ID}.${SECRET.slice(1)}8`)).toBeUndefined()
    expect(parseApiKey(`NNSXS.${ID.slice(1)}a.${SECRET}`)).toBeUndefined()
    expect(parseApiKey(`NNSXS.${ID}.${SECRET.slice(1)}=`)).toBeUndefined()
  })

  it('rejects missing, extra or padded parts', () => {
    expect(parseApiKey('')).toBeUndefined()
    expect(parseApiKey('NNSXS')).toBeUndefined()
    expect(parseApiKey(`NNSXS.${ID}`)).toBeUndefined()
    expect(parseApiKey(`NNSXS.${ID}.`)).toBeUndefined()
    expect(parseApiKey(`NNSXS..${SECRET}`)).toBeUndefined()
    expect(parseApiKey(`NNSXS.${ID}.${SECRET}.extra`)).toBeUndefined()
    expect(parseApiKey(` NNSXS.${ID}.${SECRET}`)).toBeUndefined()
    expect(parseApiKey(`Bearer NNSXS.${ID}.${SECRET}`)).toBeUndefined()
  })
})
