import { MESSAGE_TYPES, type FieldViolation } from '@lorahooks/core'
import { schemaMessage } from '../schema/schema.js'
import { NormalizeContext } from './context.js'
import { isPlainObject, type JsonObject } from './json-value.js'
import { normalizeMessage, planFor } from './normalize-message.js'

/** An ApplicationUp in canonical TTS JSON (see normalizeApplicationUp). */
export type CanonicalUp = Record<string, unknown>

export interface NormalizedUp {
  up: CanonicalUp
  violations: FieldViolation[]
}

const APPLICATION_UP_SCHEMA = schemaMessage('ApplicationUp')
const APPLICATION_UP = planFor(APPLICATION_UP_SCHEMA)

/** Both spellings of each message type key, to tell "missing" from "given but invalid". */
const MESSAGE_TYPE_KEYS = APPLICATION_UP_SCHEMA.fields
  .filter((field) => field.oneof === 'up')
  .flatMap((field) => [field.name, field.jsonName])

function hasMessageType(input: JsonObject): boolean {
  return MESSAGE_TYPE_KEYS.some((key) => input[key] !== undefined && input[key] !== null)
}

/**
 * Turns an incoming ApplicationUp (TTS JSON or protojson) into canonical TTS JSON and lists
 * every bad value with its field path. Never throws for bad input.
 */
export function normalizeApplicationUp(input: unknown): NormalizedUp {
  if (!isPlainObject(input)) {
    return { up: {}, violations: [{ field: 'body', message: 'must be a JSON object' }] }
  }

  const ctx = new NormalizeContext()
  const up = normalizeMessage(APPLICATION_UP, input, ctx, '') ?? {}

  if (!hasMessageType(input)) {
    ctx.report('up', `one message type is required: ${MESSAGE_TYPES.join(', ')}`)
  }
  return { up, violations: ctx.violations }
}
