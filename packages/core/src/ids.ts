import type { FieldViolation } from './errors.js'

/** TTS identifier rule: 3–36 chars, lower-case alphanumerics with single inner hyphens. */
export const ID_PATTERN = /^[a-z0-9](?:[-]?[a-z0-9]){2,}$/
export const ID_MAX_LENGTH = 36

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= ID_MAX_LENGTH && ID_PATTERN.test(value)
}

/** A violation for `field` when `value` is not a valid TTS identifier, otherwise undefined. */
export function checkId(field: string, value: unknown): FieldViolation | undefined {
  if (isValidId(value)) return undefined
  return {
    field,
    message:
      'must be 3–36 characters of a–z and 0–9, with single hyphens that do not start or end it',
  }
}

const EUI_PATTERN = /^[0-9A-Fa-f]{16}$/
const DEV_ADDR_PATTERN = /^[0-9A-Fa-f]{8}$/

/** 64-bit EUIs (DevEUI, JoinEUI) as 16 hex digits; TTS writes them upper case. */
export function isValidEui(value: unknown): value is string {
  return typeof value === 'string' && EUI_PATTERN.test(value)
}

export function isValidDevAddr(value: unknown): value is string {
  return typeof value === 'string' && DEV_ADDR_PATTERN.test(value)
}
