/**
 * Bench messages. Every one carries the moment it entered the system (`sent_at_ns`, the shared
 * monotonic clock) in its decoded payload, where the receiver reads it back to measure latency.
 * Sizes are chosen so that the body a webhook receives is about 430 bytes, like a typical TTS
 * uplink with decoded fields.
 */
export const APPLICATION_ID = 'bench-app'
export const DEV_EUI_PREFIX = '70B3D57ED0'

export function deviceId(index: number): string {
  return `dev${index}`
}

export function devEui(index: number): string {
  return `${DEV_EUI_PREFIX}${index.toString(16).toUpperCase().padStart(6, '0')}`
}

function uplinkMessage(fCnt: number | string, sentAtNs: string): Record<string, unknown> {
  return {
    f_port: 1,
    f_cnt: fCnt,
    frm_payload: 'AQIDBAUGBwg=',
    decoded_payload: { sent_at_ns: sentAtNs, temperature: 21.5, battery: 3.61 },
    rx_metadata: [{ gateway_ids: { gateway_id: 'gw1' }, rssi: -71 }],
  }
}

/** An ApplicationUp as a network server hands it to lorahooks (batch form names the device). */
export function ingestUplink(device: number, fCnt: number, sentAtNs: number) {
  return {
    end_device_ids: { device_id: deviceId(device) },
    uplink_message: uplinkMessage(fCnt, String(sentAtNs)),
  }
}

// The delivered form, as a template: filling in five fields is much cheaper than building and
// stringifying an object per request, which would slow the raw client down.
const TEMPLATE = JSON.stringify({
  end_device_ids: {
    device_id: '@@device@@',
    application_ids: { application_id: APPLICATION_ID },
    dev_eui: '@@eui@@',
  },
  correlation_ids: ['as:up:01JBENCH0000000000000000000'],
  received_at: '@@received@@',
  uplink_message: uplinkMessage('@@fcnt@@', '@@sent@@'),
})
  .replace('"@@fcnt@@"', '@@fcnt@@')
  .split(/@@(\w+)@@/)

/** The same uplink as a webhook receives it, for the scenarios that bypass lorahooks. */
export function deliveredUplinkBody(device: number, fCnt: number, sentAtNs: number): string {
  const values: Record<string, string> = {
    device: deviceId(device),
    eui: devEui(device),
    received: new Date().toISOString(),
    fcnt: String(fCnt),
    sent: String(sentAtNs),
  }
  let body = ''
  TEMPLATE.forEach((part, index) => (body += index % 2 === 0 ? part : values[part]))
  return body
}

const SENT_AT = /"sent_at_ns":\s*"?(\d+)/

/** The `sent_at_ns` a body carries, or undefined. */
export function sentAtOf(body: string): number | undefined {
  const match = SENT_AT.exec(body)
  return match ? Number(match[1]) : undefined
}
