import type { EnumSpec } from '../schema/field-spec.js'
import { Problem, type ValueCodec } from './codec.js'

/** Enums accept a value name or number and come out as the name. */
export function enumCodec(spec: EnumSpec): ValueCodec {
  const names = new Set(spec.values.values())
  const zeroName = spec.values.get(0)
  const problem = new Problem(`must be one of ${[...names].join(', ')} (or its number)`)

  return {
    parse(value) {
      if (typeof value === 'string') return names.has(value) ? value : problem
      if (typeof value === 'number') return spec.values.get(value) ?? problem
      return problem
    },
    isZero: (canonical) => canonical === zeroName,
  }
}
