import type { EnumSpec, FieldLabel, FieldSpec, FieldType, ScalarKind } from './field-spec.js'

function scalar(kind: ScalarKind): FieldType {
  return { kind: 'scalar', scalar: kind }
}

export const STRING = scalar('string')
export const BOOL = scalar('bool')
export const INT32 = scalar('int32')
export const UINT32 = scalar('uint32')
export const INT64 = scalar('int64')
export const UINT64 = scalar('uint64')
export const FLOAT = scalar('float')
export const DOUBLE = scalar('double')
export const BYTES = scalar('bytes')
export const TIMESTAMP: FieldType = { kind: 'timestamp' }
export const DURATION: FieldType = { kind: 'duration' }
export const STRUCT: FieldType = { kind: 'struct' }
export const ANY: FieldType = { kind: 'any' }
export const FLOAT_VALUE: FieldType = { kind: 'wrapper', scalar: 'float' }
export const UINT32_VALUE: FieldType = { kind: 'wrapper', scalar: 'uint32' }
export const STRING_VALUE: FieldType = { kind: 'wrapper', scalar: 'string' }

/** Bytes written as upper-case hex of exactly this many bytes. */
export function hex(bytes: number): FieldType {
  return { kind: 'hex', bytes }
}

export function message(name: string): FieldType {
  return { kind: 'message', message: name }
}

export function enumType(spec: EnumSpec): FieldType {
  return { kind: 'enum', enum: spec }
}

export function enumSpec(name: string, values: Record<string, number>): EnumSpec {
  return { name, values: new Map(Object.entries(values).map(([key, num]) => [num, key])) }
}

interface FieldOptions {
  label?: FieldLabel
  oneof?: string
}

export function field(
  number: number | undefined,
  name: string,
  type: FieldType,
  options: FieldOptions = {},
): FieldSpec {
  return { number, name, type, label: options.label ?? 'single', oneof: options.oneof }
}

export function repeated(number: number | undefined, name: string, type: FieldType): FieldSpec {
  return field(number, name, type, { label: 'repeated' })
}

/** A `map<string, T>` field. */
export function mapOf(number: number | undefined, name: string, type: FieldType): FieldSpec {
  return field(number, name, type, { label: 'map' })
}
