import { randomBytes } from 'node:crypto'

import { encodeBase32 } from './base32.js'

/** base32 of the 3-byte tag `key`, the type part TTS puts in front of every API key. */
export const API_KEY_PREFIX = 'NNSXS'

const ID_BYTES = 24
const SECRET_BYTES = 32
const ID_PATTERN = /^[A-Z2-7]{39}$/
const SECRET_PATTERN = /^[A-Z2-7]{52}$/

export interface GeneratedApiKey {
  id: string
  secret: string
  key: string
}

export interface ParsedApiKey {
  id: string
  secret: string
}

/** A fresh key; `key` is what the user sees once, `id` is stored clear, `secret` only hashed. */
export function generateApiKey(): GeneratedApiKey {
  const id = encodeBase32(randomBytes(ID_BYTES))
  const secret = encodeBase32(randomBytes(SECRET_BYTES))

  return { id, secret, key: `${API_KEY_PREFIX}.${id}.${secret}` }
}

/** Splits a bearer token into id and secret, or `undefined` unless it is exactly TTS-shaped. */
export function parseApiKey(token: string): ParsedApiKey | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined

  const [prefix, id, secret] = parts
  if (prefix !== API_KEY_PREFIX) return undefined
  if (id === undefined || !ID_PATTERN.test(id)) return undefined
  if (secret === undefined || !SECRET_PATTERN.test(secret)) return undefined

  return { id, secret }
}
