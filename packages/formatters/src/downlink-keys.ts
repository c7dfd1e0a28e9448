import { decodeBodyError } from './decode-body-error.js'
import { digitsOf } from './json-integer.js'
import { isPlainObject, setOwn, type JsonObject } from './normalize/json-value.js'
import { schemaMessage, type SchemaField, type SchemaMessage } from './schema/schema.js'

const APPLICATION_DOWNLINK = schemaMessage('ApplicationDownlink')

function convertValue(field: SchemaField, value: unknown, path: string): unknown {
  const nested = field.messageType
  // Struct content keeps its JsonIntegers; anywhere else they are checked as their digits.
  if (field.type.kind === 'struct') return value
  if (!nested || value === null) {
    return Array.isArray(value) ? value.map(digitsOf) : digitsOf(value)
  }

  if (field.label === 'repeated' && Array.isArray(value)) {
    return value.map((item, i) => convertObject(nested, item, `${path}[${i}]`))
  }
  if (field.label === 'map' && isPlainObject(value)) {
    const entries: JsonObject = {}
    for (const key of Object.keys(value)) {
      setOwn(entries, key, convertObject(nested, value[key], `${path}.${key}`))
    }
    return entries
  }
  return convertObject(nested, value, path)
}

/**
 * Known fields under their snake_case names, unknown ones dropped (protojson's DiscardUnknown).
 * Struct content such as decoded_payload is user data and keeps its keys.
 */
function convertObject(message: SchemaMessage, value: unknown, path: string): unknown {
  if (!isPlainObject(value)) return digitsOf(value)

  const out: JsonObject = {}
  for (const key of Object.keys(value)) {
    const field = message.byKey.get(key)
    if (!field) continue
    const fieldPath = `${path}.${field.name}`
    if (field.name in out) {
      throw decodeBodyError(`field \`${fieldPath}\` is given twice`, { field: fieldPath })
    }
    out[field.name] = convertValue(field, value[key], fieldPath)
  }
  return out
}

/** One downlink item of a request body with snake_case keys. */
export function downlinkWithSnakeCaseKeys(item: unknown, index: number): JsonObject {
  const path = `downlinks[${index}]`
  if (!isPlainObject(item)) {
    throw decodeBodyError(`\`${path}\` must be an object`, { field: path })
  }
  return convertObject(APPLICATION_DOWNLINK, item, path) as JsonObject
}
