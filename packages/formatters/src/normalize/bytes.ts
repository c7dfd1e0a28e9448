import { Problem, type ValueCodec } from './codec.js'

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const ANY_BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/
const HEX_DIGITS = /^[0-9A-Fa-f]*$/

const notString = new Problem('must be a base64 string')
const notBase64 = new Problem('is not valid base64')

function isDecodableBase64(value: string): boolean {
  if (!ANY_BASE64.test(value)) return false
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0
  if (padding > 0 && value.length % 4 !== 0) return false
  return (value.length - padding) % 4 !== 1
}

/** Bytes as standard padded base64; base64url and unpadded input are re-encoded. */
export const BYTES_CODEC: ValueCodec = {
  parse(value) {
    if (typeof value !== 'string') return notString
    if (STANDARD_BASE64.test(value)) return value
    if (!isDecodableBase64(value)) return notBase64
    return Buffer.from(value, 'base64').toString('base64')
  },
  isZero: (canonical) => canonical === '',
}

/** Bytes TTS writes as upper-case hex of a fixed length (EUIs, DevAddr, NetID, keys). */
export function hexCodec(bytes: number): ValueCodec {
  const digits = bytes * 2
  const problem = new Problem(`must be ${digits} hexadecimal digits`)
  return {
    parse(value) {
      if (typeof value !== 'string') return problem
      if (value.length !== 0 && value.length !== digits) return problem
      if (!HEX_DIGITS.test(value)) return problem
      return value.toUpperCase()
    },
    isZero: (canonical) => canonical === '',
  }
}
