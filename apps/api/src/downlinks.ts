import {
  checkDownlinks,
  invalidArgument,
  newUlid,
  orderDownlinkKeys,
  validationError,
  type ApplicationDownlink,
} from '@lorahooks/core'
import type { DeviceRow, NewMessage } from '@lorahooks/db'
import { getFormatter, normalizeApplicationUp, stringifyUp } from '@lorahooks/formatters'
import { isoTime, type RouteDeps } from './deps.js'
import { deviceIds } from './views.js'

const NS = 'pkg/applicationserver'

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
  const { downlinks, violations } = checkDownlinks(formatter.decodeDownlinks(body).downlinks)
  if (violations.length > 0) throw validationError(NS, violations)
  return downlinks
}

function withCorrelationId(downlink: ApplicationDownlink, now: number): ApplicationDownlink {
  const correlationIds = [...(downlink.correlation_ids ?? []), `as:downlink:${newUlid(now)}`]
  return orderDownlinkKeys({ ...downlink, correlation_ids: correlationIds })
}

/** The `downlink_queued` ApplicationUp TTS publishes for each queued item. */
function queuedMessage(device: DeviceRow, item: ApplicationDownlink, now: number): NewMessage {
  const queued = item.confirmed
    ? orderDownlinkKeys({ ...item, confirmed_retry: { attempt: 1, ...item.confirmed_retry } })
    : item
  const { up, violations } = normalizeApplicationUp({
    end_device_ids: deviceIds(device),
    correlation_ids: item.correlation_ids,
    received_at: isoTime(now),
    downlink_queued: queued,
  })
  if (violations.length > 0) throw validationError(NS, violations)

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
  const queued = items.map((item) => queuedMessage(device, item, now))

  await deps.store.enqueueDownlinks(
    device.applicationId,
    device.deviceId,
    items as unknown as Record<string, unknown>[],
    mode,
    queued,
    now,
  )
  deps.metrics.countAccepted('downlink', queued.length)
  return items
}
