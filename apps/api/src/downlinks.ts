import {
  checkDownlinks,
  invalidArgument,
  newUlid,
  orderDownlinkKeys,
  resourceExhausted,
  validationError,
  type ApplicationDownlink,
} from '@lorahooks/core'
import { DownlinkQueueFullError, type DeviceRow, type NewMessage } from '@lorahooks/db'
import { getFormatter, normalizeApplicationUp, stringifyUp } from '@lorahooks/formatters'
import { isoTime, type RouteDeps } from './deps.js'
import { deviceIds } from './views.js'

const NS = 'pkg/applicationserver'

/**
 * Each item is validated, normalized and stored with a `downlink_queued` message in one
 * transaction, so an unbounded request stalls the API (100,000 items took 12 s). A LoRaWAN
 * device takes one downlink per uplink at best, so these bounds leave plenty of room.
 */
export const MAX_DOWNLINKS_PER_REQUEST = 100
/** The most items one device's queue may hold; a push past it is refused whole. */
export const MAX_DOWNLINK_QUEUE_LENGTH = 1000

export type QueueMode = 'push' | 'replace'

export interface QueueRequest {
  device: DeviceRow
  /** The format the body is written in: the webhook's, or json on the plain device path. */
  format: string
  body: Uint8Array
  mode: QueueMode
}

function decodeItems(format: string, body: Uint8Array): ApplicationDownlink[] {
  const formatter = getFormatter(format)
  if (!formatter) {
    throw invalidArgument(NS, 'format_not_found', `webhook format \`${format}\` is not known`, {
      format,
    })
  }
  const decoded = formatter.decodeDownlinks(body).downlinks
  // Before validating, so an oversized request costs no more than its parse.
  if (decoded.length > MAX_DOWNLINKS_PER_REQUEST) {
    const message = `holds ${decoded.length} items; the maximum is ${MAX_DOWNLINKS_PER_REQUEST}`
    throw validationError(NS, [{ field: 'downlinks', message }])
  }
  const { downlinks, violations } = checkDownlinks(decoded)
  if (violations.length > 0) throw validationError(NS, violations)
  return downlinks
}

function withCorrelationId(downlink: ApplicationDownlink, now: number): ApplicationDownlink {
  const correlationIds = [...(downlink.correlation_ids ?? []), `as:downlink:${newUlid(now)}`]
  return orderDownlinkKeys({ ...downlink, correlation_ids: correlationIds })
}

/**
 * The `downlink_queued` ApplicationUp TTS publishes for each queued item. Building it checks
 * the fields checkDownlinks passes on unread (class_b_c); their problems are reported on the
 * item of the request (`downlinks[i]`), not on the message built from it.
 */
function queuedMessage(
  device: DeviceRow,
  item: ApplicationDownlink,
  index: number,
  now: number,
): NewMessage {
  const queued = item.confirmed
    ? orderDownlinkKeys({ ...item, confirmed_retry: { attempt: 1, ...item.confirmed_retry } })
    : item
  const { up, violations } = normalizeApplicationUp({
    end_device_ids: deviceIds(device),
    correlation_ids: item.correlation_ids,
    received_at: isoTime(now),
    downlink_queued: queued,
  })
  if (violations.length > 0) {
    const itemField = (field: string) => field.replace(/^downlink_queued\b/, `downlinks[${index}]`)
    throw validationError(
      NS,
      violations.map((violation) => ({ ...violation, field: itemField(violation.field) })),
    )
  }

  const message: NewMessage = {
    messageId: newUlid(now),
    applicationId: device.applicationId,
    deviceId: device.deviceId,
    messageType: 'downlink_queued',
    body: stringifyUp(up),
  }
  if (device.devEui) message.devEui = device.devEui
  if (device.joinEui) message.joinEui = device.joinEui
  if (device.devAddr) message.devAddr = device.devAddr
  return message
}

/** The 429 of a push that would make the queue longer than MAX_DOWNLINK_QUEUE_LENGTH. */
function queueFull(device: DeviceRow, length: number, adding: number) {
  return resourceExhausted(
    NS,
    'downlink_queue_full',
    `the downlink queue holds ${length} items; adding ${adding} would pass the maximum of ` +
      `${MAX_DOWNLINK_QUEUE_LENGTH}`,
    {
      device_id: device.deviceId,
      queue_length: length,
      adding,
      max_queue_length: MAX_DOWNLINK_QUEUE_LENGTH,
    },
  )
}

/**
 * Decodes and validates a push/replace body, then appends to (or replaces) the device's queue
 * and accepts one `downlink_queued` message per item, in one transaction. Returns the queued
 * items with their correlation IDs.
 */
export async function queueDownlinks(
  deps: RouteDeps,
  request: QueueRequest,
): Promise<ApplicationDownlink[]> {
  const { device, mode } = request
  const now = deps.clock()
  const items = decodeItems(request.format, request.body).map((d) => withCorrelationId(d, now))
  const queued = items.map((item, index) => queuedMessage(device, item, index, now))
  try {
    await deps.store.enqueueDownlinks(
      device.applicationId,
      device.deviceId,
      items as unknown as Record<string, unknown>[],
      mode,
      queued,
      now,
      MAX_DOWNLINK_QUEUE_LENGTH,
    )
  } catch (error) {
    if (error instanceof DownlinkQueueFullError) {
      throw queueFull(device, error.queueLength, items.length)
    }
    throw error
  }
  deps.metrics.countAccepted('downlink', queued.length)
  return items
}
