import type { FieldType, ScalarKind } from '../schema/field-spec.js'
import { BYTES_CODEC, hexCodec } from './bytes.js'
import { Problem, type ValueCodec } from './codec.js'
import { enumCodec } from './enums.js'
import { INT32_CODEC, INT64_CODEC, UINT32_CODEC, UINT64_CODEC } from './integers.js'
import { copyJson, isPlainObject } from './json-value.js'
import { BOOL_CODEC, DOUBLE_CODEC, FLOAT_CODEC, STRING_CODEC } from './simple-scalars.js'
import { DURATION_CODEC, TIMESTAMP_CODEC } from './timestamps.js'

const SCALAR_CODECS: Record<ScalarKind, ValueCodec> = {
  string: STRING_CODEC,
  bool: BOOL_CODEC,
  int32: INT32_CODEC,
  uint32: UINT32_CODEC,
  int64: INT64_CODEC,
  uint64: UINT64_CODEC,
  float: FLOAT_CODEC,
  double: DOUBLE_CODEC,
  bytes: BYTES_CODEC,
}

function never(): boolean {
  return false
}

/** Struct (and Any) content is user data: copied as it is, never zero-stripped or re-typed. */
function objectCodec(message: string): ValueCodec {
  const problem = new Problem(message)
  return {
    parse: (value) => (isPlainObject(value) ? copyJson(value) : problem),
    isZero: never,
  }
}

const STRUCT_CODEC = objectCodec('must be a JSON object')
const ANY_CODEC = objectCodec('must be a JSON object with an "@type"')

/** The codec of every field type except messages, which are walked field by field. */
export function codecFor(type: Exclude<FieldType, { kind: 'message' }>): ValueCodec {
  switch (type.kind) {
    case 'scalar':
      return SCALAR_CODECS[type.scalar]
    case 'wrapper':
      return { parse: SCALAR_CODECS[type.scalar].parse, isZero: never }
    case 'hex':
      return hexCodec(type.bytes)
    case 'enum':
      return enumCodec(type.enum)
    case 'timestamp':
      return TIMESTAMP_CODEC
    case 'duration':
      return DURATION_CODEC
    case 'struct':
      return STRUCT_CODEC
    case 'any':
      return ANY_CODEC
  }
}
