import { Problem, type ValueCodec } from './codec.js'

const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity'])
const FLOAT32_MAX = 3.4028234663852886e38

function floatingCodec(limit: number): ValueCodec {
  const problem = new Problem('must be a number')
  const outOfRange = new Problem('is out of range for a 32-bit float')
  return {
    parse(value) {
      let number: number
      if (typeof value === 'number') number = value
      else if (typeof value !== 'string') return problem
      // protojson writes NaN and the infinities as strings; they stay strings.
      else if (NON_FINITE.has(value)) return value
      else if (NUMBER_TEXT.test(value)) number = Number(value)
      else return problem

      if (Math.abs(number) > limit) return outOfRange
      return number === 0 ? 0 : number
    },
    isZero: (canonical) => canonical === 0,
  }
}

export const FLOAT_CODEC = floatingCodec(FLOAT32_MAX)
export const DOUBLE_CODEC = floatingCodec(Number.MAX_VALUE)

const notString = new Problem('must be a string')
export const STRING_CODEC: ValueCodec = {
  parse: (value) => (typeof value === 'string' ? value : notString),
  isZero: (canonical) => canonical === '',
}

const notBool = new Problem('must be true or false')
export const BOOL_CODEC: ValueCodec = {
  parse: (value) => (typeof value === 'boolean' ? value : notBool),
  isZero: (canonical) => canonical === false,
}
