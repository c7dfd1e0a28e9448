import { validateHeaderName, validateHeaderValue } from 'node:http'

import type { Behavior, DownlinkReply, ResponseSpec } from './types.js'

/** setTimeout clamps anything larger to 1 ms, which would turn a long delay into none. */
const MAX_DELAY_MS = 2_147_483_647

export class BehaviorError extends TypeError {}

/** Checks a behavior (e.g. from the control API) and returns a copy with only known fields. */
export function parseBehavior(value: unknown): Behavior {
  if (!isObject(value)) throw new BehaviorError('behavior must be an object')

  const { path, responses } = value
  if (typeof path !== 'string' || path === '') {
    throw new BehaviorError('behavior.path must be a non-empty string')
  }
  if (!Array.isArray(responses) || responses.length === 0) {
    throw new BehaviorError('behavior.responses must be a non-empty array')
  }

  return { path, responses: responses.map((r, i) => parseResponseSpec(r, `responses[${i}]`)) }
}

function parseResponseSpec(value: unknown, where: string): ResponseSpec {
  if (!isObject(value)) throw new BehaviorError(`${where} must be an object`)

  const spec: ResponseSpec = {}
  const { status, delayMs, headers, body, bodyBytes, hang, destroy, downlink } = value

  if (status !== undefined) {
    if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) {
      throw new BehaviorError(`${where}.status must be an integer from 200 to 599`)
    }
    spec.status = status as number
  }

  if (delayMs !== undefined) {
    if (typeof delayMs !== 'number' || !(delayMs >= 0 && delayMs <= MAX_DELAY_MS)) {
      throw new BehaviorError(`${where}.delayMs must be a number from 0 to ${MAX_DELAY_MS}`)
    }
    spec.delayMs = delayMs
  }

  if (headers !== undefined) spec.headers = parseHeaders(headers, `${where}.headers`)

  if (body !== undefined) {
    if (typeof body !== 'string') throw new BehaviorError(`${where}.body must be a string`)
    spec.body = body
  }

  if (bodyBytes !== undefined) {
    if (!Number.isSafeInteger(bodyBytes) || (bodyBytes as number) < 0) {
      throw new BehaviorError(`${where}.bodyBytes must be a non-negative integer`)
    }
    if (body !== undefined) throw new BehaviorError(`${where}: use body or bodyBytes, not both`)
    spec.bodyBytes = bodyBytes as number
  }

  if (hang !== undefined) spec.hang = parseFlag(hang, `${where}.hang`)
  if (destroy !== undefined) spec.destroy = parseFlag(destroy, `${where}.destroy`)
  if (downlink !== undefined) spec.downlink = parseDownlinkReply(downlink, `${where}.downlink`)

  return spec
}

function parseHeaders(value: unknown, where: string): Record<string, string> {
  if (!isObject(value)) throw new BehaviorError(`${where} must be an object`)

  const headers: Record<string, string> = {}
  for (const [name, headerValue] of Object.entries(value)) {
    if (typeof headerValue !== 'string') {
      throw new BehaviorError(`${where}.${name} must be a string`)
    }
    try {
      validateHeaderName(name)
      validateHeaderValue(name, headerValue)
    } catch (error) {
      throw new BehaviorError(`${where}.${name}: ${(error as Error).message}`)
    }
    headers[name] = headerValue
  }
  return headers
}

/** Checks the shape of an auto-reply: `{ downlinks: [...] }`. */
export function parseDownlinkReply(value: unknown, where = 'downlink'): DownlinkReply {
  if (!isObject(value) || !Array.isArray(value.downlinks)) {
    throw new BehaviorError(`${where} must be an object with a downlinks array`)
  }
  return { downlinks: value.downlinks }
}

function parseFlag(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new BehaviorError(`${where} must be a boolean`)
  return value
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
