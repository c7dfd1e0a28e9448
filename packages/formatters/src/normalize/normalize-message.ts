import type { SchemaField, SchemaMessage } from '../schema/schema.js'
import { Problem } from './codec.js'
import { codecFor } from './codecs.js'
import { joinPath, type NormalizeContext } from './context.js'
import { copyJson, isPlainObject, setOwn, type JsonObject } from './json-value.js'
import { digitsOf } from '../json-integer.js'

/** Reads one value (a field, a list item or a map value); undefined when it is dropped. */
type ElementReader = (
  value: unknown,
  ctx: NormalizeContext,
  parent: string,
  key: string | number,
) => unknown

type FieldReader = (value: unknown, ctx: NormalizeContext, parent: string) => unknown

interface FieldPlan {
  readonly name: string
  readonly index: number
  readonly oneof: string | undefined
  readonly read: FieldReader
}

interface OneofPlan {
  readonly name: string
  readonly members: readonly FieldPlan[]
}

export interface MessagePlan {
  readonly fields: FieldPlan[]
  readonly byKey: Map<string, FieldPlan>
  readonly oneofs: OneofPlan[]
}

/** Marks a slot whose field was given but left out of the output (zero or invalid). */
const ABSENT = Symbol('absent')

const plans = new Map<SchemaMessage, MessagePlan>()

function isPresent(slot: unknown): boolean {
  return slot !== undefined && slot !== ABSENT
}

function elementReader(field: SchemaField): ElementReader {
  if (field.type.kind === 'message') {
    const nested = field.messageType
    if (!nested) throw new Error(`${field.name}: unresolved message type`)
    const plan = planFor(nested)
    return (value, ctx, parent, key) => normalizeMessage(plan, value, ctx, joinPath(parent, key))
  }

  const codec = codecFor(field.type)
  return (value, ctx, parent, key) => {
    const result = codec.parse(digitsOf(value))
    if (result instanceof Problem) {
      ctx.report(joinPath(parent, key), result.message)
      return undefined
    }
    return result
  }
}

function singleReader(field: SchemaField, element: ElementReader): FieldReader {
  const name = field.name
  if (field.type.kind === 'message') {
    return (value, ctx, parent) => element(value, ctx, parent, name)
  }

  const codec = codecFor(field.type)
  return (value, ctx, parent) => {
    const result = element(value, ctx, parent, name)
    return result === undefined || codec.isZero(result) ? undefined : result
  }
}

function repeatedReader(name: string, element: ElementReader): FieldReader {
  return (value, ctx, parent) => {
    if (!Array.isArray(value)) {
      ctx.report(joinPath(parent, name), 'must be a list')
      return undefined
    }
    if (value.length === 0) return undefined

    const path = joinPath(parent, name)
    const items: unknown[] = []
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      if (item === null || item === undefined) {
        ctx.report(joinPath(path, i), 'must not be null')
        continue
      }
      const result = element(item, ctx, path, i)
      if (result !== undefined) items.push(result)
    }
    return items.length === 0 ? undefined : items
  }
}

function mapReader(name: string, element: ElementReader): FieldReader {
  return (value, ctx, parent) => {
    if (!isPlainObject(value)) {
      ctx.report(joinPath(parent, name), 'must be an object of named values')
      return undefined
    }
    const keys = Object.keys(value)
    if (keys.length === 0) return undefined

    const path = joinPath(parent, name)
    const entries: JsonObject = {}
    for (const key of keys) {
      const item = value[key]
      if (item === null || item === undefined) {
        ctx.report(joinPath(path, key), 'must not be null')
        continue
      }
      const result = element(item, ctx, path, key)
      if (result !== undefined) setOwn(entries, key, result)
    }
    return entries
  }
}

function fieldPlan(field: SchemaField): FieldPlan {
  const element = elementReader(field)
  const read =
    field.label === 'repeated'
      ? repeatedReader(field.name, element)
      : field.label === 'map'
        ? mapReader(field.name, element)
        : singleReader(field, element)
  return { name: field.name, index: field.index, oneof: field.oneof, read }
}

/** The compiled reader of a message; built once per message type, also for recursive ones. */
export function planFor(message: SchemaMessage): MessagePlan {
  const existing = plans.get(message)
  if (existing) return existing

  const plan: MessagePlan = { fields: [], byKey: new Map(), oneofs: [] }
  plans.set(message, plan)
  for (const field of message.fields) {
    const compiled = fieldPlan(field)
    plan.fields.push(compiled)
    plan.byKey.set(field.name, compiled)
    plan.byKey.set(field.jsonName, compiled)
  }
  for (const name of message.oneofs) {
    plan.oneofs.push({ name, members: plan.fields.filter((field) => field.oneof === name) })
  }
  return plan
}

function checkOneofs(plan: MessagePlan, slots: unknown[], ctx: NormalizeContext, path: string) {
  for (const oneof of plan.oneofs) {
    let count = 0
    for (const member of oneof.members) {
      if (isPresent(slots[member.index])) count++
    }
    if (count < 2) continue

    const names = oneof.members.filter((member) => isPresent(slots[member.index]))
    const list = names.map((member) => member.name).join(', ')
    ctx.report(joinPath(path, oneof.name), `only one of ${list} may be set`)
  }
}

/**
 * Canonical TTS JSON of one message: known fields in declaration order with zero values left
 * out, then unknown fields as they came. Undefined (with a violation) when not an object.
 */
export function normalizeMessage(
  plan: MessagePlan,
  value: unknown,
  ctx: NormalizeContext,
  path: string,
): JsonObject | undefined {
  if (!isPlainObject(value)) {
    ctx.report(path, 'must be an object')
    return undefined
  }

  const slots = new Array<unknown>(plan.fields.length)
  const unknownKeys: string[] = []
  for (const key of Object.keys(value)) {
    const field = plan.byKey.get(key)
    if (field === undefined) {
      unknownKeys.push(key)
      continue
    }
    if (slots[field.index] !== undefined) {
      ctx.report(joinPath(path, field.name), 'is given twice (snake_case and lowerCamelCase)')
      continue
    }
    const raw = value[key]
    const result = raw === null || raw === undefined ? undefined : field.read(raw, ctx, path)
    slots[field.index] = result === undefined ? ABSENT : result
  }

  const out: JsonObject = {}
  for (const field of plan.fields) {
    const result = slots[field.index]
    if (isPresent(result)) out[field.name] = result
  }
  if (plan.oneofs.length > 0) checkOneofs(plan, slots, ctx, path)
  for (const key of unknownKeys) setOwn(out, key, copyJson(value[key]))
  return out
}
