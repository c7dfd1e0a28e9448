import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fCntOf, header, startHarness, waitFor, PUBLIC_URL, type Harness } from './harness.js'

let h: Harness

beforeEach(async () => {
  h = await startHarness()
})

afterEach(async () => {
  await h.close()
})

describe('delivery worker', () => {
  it('POSTs each accepted uplink once to base URL + path with the stored body', async () => {
    await h.addWebhook('wh1', {
      base_url: `${h.receiver.url}/hooks`,
      uplink_message: { path: '/up/' },
    })
    await h.accept(1)

    const [request] = await waitFor(() => h.receiver.count() === 1 && h.receiver.requests())
    expect(request).toMatchObject({ method: 'POST', target: '/hooks/up/' })
    expect(JSON.parse(request!.bodyText)).toMatchObject({ uplink_message: { f_cnt: 1 } })
    await waitFor(async () => (await h.store.countDeliveries())['delivered'] === 1)
  })

  it('sends the TTS headers: one Content-Type, domain, agent, downlink URLs and key', async () => {
    await h.addWebhook('wh1', {
      headers: { Authorization: 'Bearer abc', 'X-Custom': 'yes' },
      downlink_api_key: 'NNSXS.KEYA1DOWN.SECRET',
    })
    await h.addWebhook('wh2', {})
    await h.accept(1)

    const requests = await waitFor(() => h.receiver.count() === 2 && h.receiver.requests())
    const withKey = requests.find((r) => header(r, 'x-downlink-apikey').length > 0)!
    const withoutKey = requests.find((r) => r !== withKey)!
    const push = `${PUBLIC_URL}/api/v3/as/applications/app1/webhooks/wh1/devices/dev1/down/push`
    expect(header(withKey, 'content-type')).toEqual(['application/json'])
    expect(header(withKey, 'authorization')).toEqual(['Bearer abc'])
    expect(header(withKey, 'x-custom')).toEqual(['yes'])
    expect(header(withKey, 'x-downlink-apikey')).toEqual(['NNSXS.KEYA1DOWN.SECRET'])
    expect(header(withKey, 'x-downlink-push')).toEqual([push])
    expect(header(withKey, 'x-downlink-replace')).toEqual([push.replace(/push$/, 'replace')])
    expect(header(withKey, 'x-tts-domain')).toEqual(['lns.example.com'])
    expect(header(withKey, 'user-agent')[0]).toMatch(/^lorahooks\/\d+\.\d+\.\d+ /)
    expect(header(withoutKey, 'x-downlink-push')).toEqual([])
    expect(header(withoutKey, 'x-tts-domain')).toEqual(['lns.example.com'])
  })

  it('keeps its own User-Agent after a configured one (W07)', async () => {
    await h.addWebhook('wh1', { headers: { 'user-agent': 'acme-bridge/2' } })
    await h.accept(1)

    const [request] = await waitFor(() => h.receiver.count() === 1 && h.receiver.requests())
    expect(header(request!, 'user-agent')).toHaveLength(1)
    expect(header(request!, 'user-agent')[0]).toMatch(/^acme-bridge\/2 lorahooks\/\d+\.\d+\.\d+ /)
  })

  it('retries a failed attempt until a 2xx and only then marks it delivered', async () => {
    h.receiver.setBehavior({ path: '/up', responses: [{ status: 500 }, { status: 200 }] })
    await h.addWebhook('wh1', { uplink_message: { path: '/up' } })
    await h.accept(7)

    await waitFor(() => h.receiver.requests().length === 2, 5000)
    const bodies = h.receiver.requests().map((r) => r.body)
    expect(bodies[0]).toBe(bodies[1])
    await waitFor(async () => (await h.store.countDeliveries())['delivered'] === 1)
    const [row] = await h.store.listDeliveries('app1', 'wh1', 10)
    expect(row).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 })
  })

  it('keeps delivering to a healthy webhook while another never answers', async () => {
    h.receiver.setBehavior({ path: '/slow', responses: [{ hang: true }] })
    await h.addWebhook('slow', { uplink_message: { path: '/slow' } })
    await h.addWebhook('fast', { uplink_message: { path: '/fast' } })
    for (let i = 1; i <= 30; i++) await h.accept(i)

    await waitFor(() => h.receiver.requests({ path: '/fast' }).length === 30, 5000)
    const fCnts = h.receiver.requests({ path: '/fast' }).map(fCntOf)
    expect(fCnts).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
  })

  it('cancels deliveries of a webhook deleted before they were attempted', async () => {
    await h.worker.stop()
    await h.addWebhook('wh1', {})
    await h.accept(1)
    await h.store.deleteWebhook('app1', 'wh1')
    expect(await h.store.countDeliveries()).toEqual({ cancelled: 1 })
  })
})
