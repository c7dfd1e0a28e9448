import { Problem, type ValueCodec } from './codec.js'

const DURATION = /^-?(\d+)(?:\.\d{1,9})?s$/

/** google.protobuf.Duration allows ±10000 years. */
const MAX_DURATION_SECONDS = 315_576_000_000

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  const days = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0)
  return day <= days
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

/** The number written by `count` ASCII digits at `start`, or -1. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0
  for (let i = start; i < start + count; i++) {
    // Past the end charCodeAt gives NaN, which fails this test too.
    const digit = text.charCodeAt(i) - 0x30
    if (!(digit >= 0 && digit <= 9)) return -1
    value = value * 10 + digit
  }
  return value
}

function isCharAt(text: string, index: number, upper: string): boolean {
  const char = text[index]
  return char === upper || char === upper.toLowerCase()
}

/** Length of the `.ddd` fraction at `start` (0 if none), or -1 when it is malformed. */
function fractionLength(text: string, start: number): number {
  if (text[start] !== '.') return 0
  let end = start + 1
  while (end < text.length && digitsAt(text, end, 1) >= 0) end++
  const digits = end - start - 1
  return digits >= 1 && digits <= 9 ? digits + 1 : -1
}

interface DateTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** Reads `YYYY-MM-DDTHH:MM:SS`; undefined when malformed or out of range. */
function readDateTime(text: string): DateTime | undefined {
  if (text[4] !== '-' || text[7] !== '-' || !isCharAt(text, 10, 'T')) return undefined
  if (text[13] !== ':' || text[16] !== ':') return undefined
  const dateTime = {
    year: digitsAt(text, 0, 4),
    month: digitsAt(text, 5, 2),
    day: digitsAt(text, 8, 2),
    hour: digitsAt(text, 11, 2),
    minute: digitsAt(text, 14, 2),
    second: digitsAt(text, 17, 2),
  }
  const { year, month, day, hour, minute, second } = dateTime
  if (!isValidDate(year, month, day)) return undefined
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return undefined
  }
  return dateTime
}

/** The offset `±HH:MM` at `start` in minutes east of UTC, or undefined. */
function readOffset(text: string, start: number): number | undefined {
  if (text.length !== start + 6 || text[start + 3] !== ':') return undefined
  const sign = text[start] === '+' ? 1 : text[start] === '-' ? -1 : 0
  const hours = digitsAt(text, start + 1, 2)
  const minutes = digitsAt(text, start + 4, 2)
  if (sign === 0 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined
  return sign * (hours * 60 + minutes)
}

function shiftToUtc(time: DateTime, offsetMinutes: number, fraction: string): string | undefined {
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to the 1900s.
  date.setUTCFullYear(time.year, time.month - 1, time.day)
  date.setUTCHours(time.hour, time.minute - offsetMinutes, time.second, 0)

  const year = date.getUTCFullYear()
  if (year < 1 || year > 9999) return undefined
  const datePart = `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`
  const hours = pad(date.getUTCHours(), 2)
  const timePart = `${hours}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`
  return `${datePart}T${timePart}${fraction}Z`
}

/**
 * RFC 3339 text in UTC with a `Z`, keeping the fraction digits as given; offsets are moved to
 * UTC. Undefined when the text is not a valid RFC 3339 time.
 */
export function normalizeTimestamp(text: string): string | undefined {
  const time = readDateTime(text)
  if (!time) return undefined

  const fraction = fractionLength(text, 19)
  if (fraction < 0) return undefined
  const zoneStart = 19 + fraction

  if (text.length === zoneStart + 1 && isCharAt(text, zoneStart, 'Z')) {
    const canonical = text[10] === 'T' && text[zoneStart] === 'Z'
    return canonical ? text : `${text.slice(0, 10)}T${text.slice(11, zoneStart)}Z`
  }

  const offset = readOffset(text, zoneStart)
  if (offset === undefined) return undefined
  return shiftToUtc(time, offset, text.slice(19, zoneStart))
}

const notTimestamp = new Problem(
  'must be an RFC 3339 time such as "2020-02-12T15:15:46.014773143Z"',
)

export const TIMESTAMP_CODEC: ValueCodec = {
  parse(value) {
    if (typeof value !== 'string') return notTimestamp
    return normalizeTimestamp(value) ?? notTimestamp
  },
  isZero: () => false,
}

const notDuration = new Problem('must be a duration in seconds such as "0.056576s"')

export const DURATION_CODEC: ValueCodec = {
  parse(value) {
    if (typeof value !== 'string') return notDuration
    const match = DURATION.exec(value)
    if (!match || Number(match[1]) > MAX_DURATION_SECONDS) return notDuration
    return value
  },
  isZero: () => false,
}
