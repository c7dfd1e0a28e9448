import { parseDownlinkReply } from './behavior-validation.js'
import type { Behavior, MockEndpointOptions } from './types.js'

export interface CliConfig {
  options: MockEndpointOptions
  /** Set from MOCK_DOWNLINK_REPLY / MOCK_DOWNLINK_PATH, for demos. */
  behavior?: Behavior
}

/** Reads the MOCK_* environment variables; throws on values that would be silently wrong. */
export function readCliConfig(env: NodeJS.ProcessEnv): CliConfig {
  const options: MockEndpointOptions = {
    port: integerVar(env, 'MOCK_PORT', 0),
    host: env.MOCK_HOST || '127.0.0.1',
    record: env.MOCK_RECORD !== '0' && env.MOCK_RECORD !== 'false',
    maxRecords: integerVar(env, 'MOCK_MAX_RECORDS', 10_000),
  }

  const reply = env.MOCK_DOWNLINK_REPLY
  if (reply === undefined || reply === '') return { options }

  let parsed: unknown
  try {
    parsed = JSON.parse(reply)
  } catch {
    throw new Error('MOCK_DOWNLINK_REPLY is not valid JSON')
  }
  const downlink = parseDownlinkReply(parsed, 'MOCK_DOWNLINK_REPLY')
  const path = env.MOCK_DOWNLINK_PATH || '/*'
  return { options, behavior: { path, responses: [{ downlink }] } }
}

function integerVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a non-negative integer, got ${raw}`)
  return Number(raw)
}
