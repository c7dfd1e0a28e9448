/** The eleven `ApplicationUp` message types a webhook can subscribe to, in TTS proto order. */
export const MESSAGE_TYPES = [
  'uplink_message',
  'uplink_normalized',
  'join_accept',
  'downlink_ack',
  'downlink_nack',
  'downlink_sent',
  'downlink_failed',
  'downlink_queued',
  'downlink_queue_invalidated',
  'location_solved',
  'service_data',
] as const

export type MessageType = (typeof MESSAGE_TYPES)[number]

const MESSAGE_TYPE_SET: ReadonlySet<string> = new Set(MESSAGE_TYPES)

export function isMessageType(value: string): value is MessageType {
  return MESSAGE_TYPE_SET.has(value)
}

/** The message type of an ApplicationUp object: the one top-level key naming a type. */
export function messageTypesOf(up: Record<string, unknown>): MessageType[] {
  return Object.keys(up).filter(isMessageType)
}
