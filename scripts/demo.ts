// `pnpm demo`: the whole TTS webhook flow on loopback, with real processes. Starts the mock
// endpoint, the API and the worker on free ports with a fresh database; creates an application,
// a device, an API key with downlink rights and a webhook aimed at the mock endpoint; replays
// the real TTS example messages; shows what the endpoint received and the downlink round trip.
// Exits 0 only if all of it happened.
import { ApiClient } from '../test/support/api-client.js'
import { messageFixtures, WEBHOOK_PATHS } from '../test/support/fixtures.js'
import { headerValues, MockClient, waitUntil } from '../test/support/mock-client.js'
import { seedApplication } from '../test/support/seed.js'
import { startStack } from '../test/support/stack.js'

const step = (text: string) => process.stdout.write(`\n▶ ${text}\n`)
const line = (text: string) => process.stdout.write(`  ${text}\n`)

const stack = await startStack({
  mockEnv: {
    MOCK_DOWNLINK_REPLY: JSON.stringify({ downlinks: [{ f_port: 1, frm_payload: 'AQID' }] }),
    MOCK_DOWNLINK_PATH: '/lorahooks/up',
  },
})
let failed = false

try {
  step('Started on loopback')
  line(`API            ${stack.apiUrl}`)
  line(`mock endpoint  ${stack.mockUrl}`)
  line(`database       ${stack.database}`)

  step('Create application app1, device dev1 and an API key with the integration rights')
  const key = await seedApplication(stack.admin)
  line(`key ${key.slice(0, 12)}… (shown once, stored only as a hash)`)
  const app = new ApiClient(stack.apiUrl, key)

  step('Add webhook wh1: every message type, the key as Downlink API key')
  const paths = Object.fromEntries(
    Object.entries(WEBHOOK_PATHS).map(([type, path]) => [type, { path }]),
  )
  await app.ok('POST', '/api/v3/as/webhooks/app1', {
    webhook: {
      ids: { application_ids: { application_id: 'app1' }, webhook_id: 'wh1' },
      base_url: `${stack.mockUrl}/lorahooks`,
      format: 'json',
      downlink_api_key: key,
      ...paths,
    },
  })

  step('Replay the real TTS example messages (simulate endpoint)')
  const fixtures = messageFixtures()
  for (const [type, message] of fixtures) {
    await app.ok('POST', '/api/v3/as/applications/app1/devices/dev1/up/simulate', message)
    line(`accepted ${type}`)
  }

  step('What the endpoint received')
  const mock = new MockClient(stack.mockUrl)
  const expected = fixtures.length + 1
  const requests = await waitUntil(async () => {
    const all = await mock.requests()
    return all.length >= expected && all
  })
  for (const request of requests) {
    const body = JSON.parse(request.bodyText) as Record<string, unknown>
    const type = Object.keys(WEBHOOK_PATHS).find((t) => t in body) ?? '?'
    line(`${request.method} ${request.target.padEnd(30)} ${type}`)
  }
  const push = headerValues(requests[0]!, 'x-downlink-push')[0]
  line(`X-Downlink-Push: ${push}`)

  step('Downlink round trip')
  const [result] = await waitUntil(async () => {
    const results = await mock.downlinkResults()
    return results.length > 0 && results
  })
  line(`endpoint pushed a downlink to ${result!.url} → HTTP ${result!.status}`)
  const queue = await app.ok<{ downlinks: unknown[] }>(
    'GET',
    '/api/v3/as/applications/app1/devices/dev1/down',
  )
  line(`device queue now holds ${queue.downlinks.length} downlink(s): ${JSON.stringify(queue.downlinks)}`)
  const queued = await waitUntil(async () => {
    const list = await mock.requests('/lorahooks/down/queued')
    return list.find((r) => JSON.parse(r.bodyText).downlink_queued?.frm_payload === 'AQID')
  })
  line(`downlink_queued delivered to ${queued.target}`)

  if (result!.status !== 200 || queue.downlinks.length !== 1) throw new Error('round trip incomplete')
  step('Demo complete: every message delivered, downlink round trip closed')
} catch (error) {
  failed = true
  process.stderr.write(`\ndemo failed: ${(error as Error).message}\n`)
  process.stderr.write(`API log tail:\n${stack.api.lines.slice(-15).join('\n')}\n`)
  process.stderr.write(`worker log tail:\n${stack.worker.lines.slice(-15).join('\n')}\n`)
} finally {
  await stack.stop()
}
process.exit(failed ? 1 : 0)
