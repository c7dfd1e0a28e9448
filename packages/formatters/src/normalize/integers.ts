import { Problem, type ValueCodec } from './codec.js'

const DECIMAL = /^-?\d+$/
const CANONICAL_DECIMAL = /^(?:0|-?[1-9]\d*)$/

/** Digits below this length are always within the safe integer range. */
const SAFE_DIGITS = 15

function isZeroNumber(value: unknown): boolean {
  return value === 0
}

function int32Codec(min: number, max: number): ValueCodec {
  const problem = new Problem(`must be an integer from ${min} to ${max}`)
  return {
    parse(value) {
      let number: number
      if (typeof value === 'number') number = value
      else if (typeof value === 'string' && DECIMAL.test(value)) number = Number(value)
      else return problem

      if (!Number.isInteger(number) || number < min || number > max) return problem
      return number === 0 ? 0 : number
    },
    isZero: isZeroNumber,
  }
}

/** 64-bit integers come out as exact decimal strings; JS numbers only when they are safe. */
function int64Codec(min: bigint, max: bigint): ValueCodec {
  const problem = new Problem(
    `must be an integer from ${min} to ${max}, as a decimal string above 2^53`,
  )
  const unsafe = new Problem('lost precision as a JSON number; send it as a decimal string')
  const unsigned = min === 0n

  return {
    parse(value) {
      if (typeof value === 'number') {
        if (!Number.isInteger(value)) return problem
        if (!Number.isSafeInteger(value)) return unsafe
        if (unsigned && value < 0) return problem
        return String(value)
      }
      if (typeof value !== 'string' || !DECIMAL.test(value)) return problem

      if (value.length <= SAFE_DIGITS && CANONICAL_DECIMAL.test(value)) {
        return unsigned && value.startsWith('-') ? problem : value
      }
      const big = BigInt(value)
      if (big < min || big > max) return problem
      return big.toString()
    },
    isZero: (canonical) => canonical === '0',
  }
}

export const INT32_CODEC = int32Codec(-(2 ** 31), 2 ** 31 - 1)
export const UINT32_CODEC = int32Codec(0, 2 ** 32 - 1)
export const INT64_CODEC = int64Codec(-(2n ** 63n), 2n ** 63n - 1n)
export const UINT64_CODEC = int64Codec(0n, 2n ** 64n - 1n)
