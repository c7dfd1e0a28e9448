import fs from 'node:fs'
import path from 'node:path'
import { MESSAGE_TYPES, type MessageType } from '@lorahooks/core'
import { REPO_ROOT } from './services.js'

const FIXTURES = path.join(REPO_ROOT, 'fixtures', 'tts-messages')

export function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'))
}

/** The real TTS example message of every message type, keyed by type. */
export function messageFixtures(): [MessageType, Record<string, unknown>][] {
  return MESSAGE_TYPES.map((type) => [type, readFixture(type)])
}

/** Webhook paths for every message type, as a TTS user would configure them. */
export const WEBHOOK_PATHS: Record<MessageType, string> = {
  uplink_message: '/up',
  uplink_normalized: '/up/normalized',
  join_accept: '/join',
  downlink_ack: '/down/ack',
  downlink_nack: '/down/nack',
  downlink_sent: '/down/sent',
  downlink_failed: '/down/failed',
  downlink_queued: '/down/queued',
  downlink_queue_invalidated: '/down/invalidated',
  location_solved: '/location',
  service_data: '/service',
}
