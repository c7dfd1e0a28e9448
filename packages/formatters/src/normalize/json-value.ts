import { JsonInteger } from '../json-integer.js'

export type JsonObject = Record<string, unknown>

/** A JSON object: not an array, and not a JsonInteger (a number, though it is an object here). */
export function isPlainObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof JsonInteger)
  )
}

/** Sets a key on a plain object, treating `__proto__` as data rather than the prototype. */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    const descriptor = { value, enumerable: true, writable: true, configurable: true }
    Object.defineProperty(target, key, descriptor)
    return
  }
  target[key] = value
}

/** A deep copy of a JSON value that keeps key order and every value as it is. */
export function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof JsonInteger) return value

  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length)
    for (let i = 0; i < value.length; i++) items[i] = copyJson(value[i])
    return items
  }

  const source = value as JsonObject
  const copy: JsonObject = {}
  for (const key of Object.keys(source)) setOwn(copy, key, copyJson(source[key]))
  return copy
}
