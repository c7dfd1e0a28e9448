import type { ApiClient } from './api-client.js'
import { readFixture } from './fixtures.js'

/** The rights a TTS integration needs: manage webhooks, read, simulate and push downlinks. */
export const INTEGRATION_RIGHTS = [
  'RIGHT_APPLICATION_SETTINGS_BASIC',
  'RIGHT_APPLICATION_TRAFFIC_READ',
  'RIGHT_APPLICATION_TRAFFIC_UP_WRITE',
  'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
]

/**
 * Creates application app1 with device dev1 (the EUIs of the TTS uplink example) and returns a
 * new API key of app1 with the integration rights.
 */
export async function seedApplication(admin: ApiClient): Promise<string> {
  const ids = readFixture('uplink_message')['end_device_ids'] as Record<string, string>
  await admin.ok('POST', '/api/v3/applications', {
    application: { ids: { application_id: 'app1' }, name: 'Demo application' },
  })
  await admin.ok('POST', '/api/v3/applications/app1/devices', {
    end_device: {
      ids: {
        device_id: 'dev1',
        application_ids: { application_id: 'app1' },
        dev_eui: ids['dev_eui'],
        join_eui: ids['join_eui'],
        dev_addr: ids['dev_addr'],
      },
    },
  })
  const created = await admin.ok<{ key: string }>('POST', '/api/v3/applications/app1/api-keys', {
    name: 'integration',
    rights: INTEGRATION_RIGHTS,
  })
  return created.key
}
