import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import {
  attemptLines,
  fCntOf,
  header,
  REQUEST_TIMEOUT_MS,
  sleep,
  harnessPerTest,
  waitFor,
  type Harness,
  type HarnessOptions,
} from './harness.js'

const harness = harnessPerTest()

/** One attempt per delivery within a test: retries come much later. */
const NO_EARLY_RETRY: HarnessOptions = {
  worker: { retry: { scheduleMs: [30_000], maxAgeMs: 60_000 } },
}

async function onlyDelivery(h: Harness, webhookId: string) {
  const [row] = await h.store.findDeliveries({ applicationId: 'app1', webhookId, limit: 1 })
  return row ? h.store.getDelivery('app1', webhookId, row.id) : undefined
}

describe('isolation between endpoints', () => {
  it('keeps a healthy webhook fast while others hang, stall or drop connections', async () => {
    const h = await harness()
    h.receiver.setBehavior({ path: '/hole', responses: [{ hang: true }] })
    h.receiver.setBehavior({ path: '/stall', responses: [{ delayMs: 5_000 }] })
    h.receiver.setBehavior({ path: '/drop', responses: [{ destroy: true }] })
    for (const id of ['hole', 'stall', 'drop', 'fast']) {
      await h.addWebhook(id, { uplink_message: { path: `/${id}` } })
    }

    const acceptedAt = new Map<number, number>()
    for (let fCnt = 1; fCnt <= 20; fCnt++) {
      acceptedAt.set(fCnt, Date.now())
      await h.accept(fCnt)
      await sleep(20)
    }

    await waitFor(() => h!.receiver.requests({ path: '/fast' }).length === 20)
    const fast = h.receiver.requests({ path: '/fast' })
    expect(fast.map(fCntOf)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    // Waiting behind the others would cost at least their 1 s timeout.
    const latencies = fast.map((r) => Date.parse(r.receivedAt) - acceptedAt.get(fCntOf(r))!)
    expect(Math.max(...latencies)).toBeLessThan(REQUEST_TIMEOUT_MS / 2)
  })

  it('cuts a slow answer at the timeout, logs a timeout and retries with the same id', async () => {
    const h = await harness({ sender: { timeoutMs: 300 } })
    h.receiver.setBehavior({ path: '/slow', responses: [{ delayMs: 600 }, {}] })
    await h.addWebhook('wh1', { uplink_message: { path: '/slow' } })
    await h.accept(1)

    await waitFor(async () => (await onlyDelivery(h, 'wh1'))?.state === 'delivered')
    const delivery = await onlyDelivery(h, 'wh1')
    expect(delivery?.attemptLog[0]).toMatchObject({ error: 'timeout: no answer within 300 ms' })
    expect(delivery?.attemptLog[0]?.status).toBeUndefined()
    expect(delivery?.attemptLog[0]?.durationMs).toBeLessThan(500)
    expect(delivery?.attemptLog[1]).toMatchObject({ status: 200 })
    const ids = h.receiver.requests({ path: '/slow' }).map((r) => header(r, 'webhook-id')[0])
    expect(ids).toHaveLength(2)
    expect(ids[0]).toBe(ids[1])
  })

  it('logs a connection closed without an answer and tries again', async () => {
    const h = await harness()
    h.receiver.setBehavior({ path: '/drop', responses: [{ destroy: true }, {}] })
    await h.addWebhook('wh1', { uplink_message: { path: '/drop' } })
    await h.accept(1)

    await waitFor(async () => (await onlyDelivery(h, 'wh1'))?.state === 'delivered')
    const delivery = await onlyDelivery(h, 'wh1')
    expect(delivery?.attemptLog[0]?.error).toMatch(/^connection closed: /)
    const webhook = await h.store.getWebhook('app1', 'wh1')
    expect(webhook).toMatchObject({ health: 'healthy', failedAttempts: 0 })
  })

  it('never follows a redirect: 301, 302 and 307 fail and nothing else is sent', async () => {
    const h = await harness(NO_EARLY_RETRY)
    const redirect = (path: string, status: number, location: string) =>
      h.receiver.setBehavior({ path, responses: [{ status, headers: { Location: location } }] })
    redirect('/r301', 301, '/r301/')
    redirect('/r302', 302, '/login')
    redirect('/r307', 307, `${h.receiver.url}/elsewhere`)
    for (const code of ['301', '302', '307']) {
      await h.addWebhook(`wh${code}`, { uplink_message: { path: `/r${code}` } })
    }
    await h.accept(1)

    await waitFor(() => h!.logs.filter((line) => line['msg'] === 'delivery attempt').length === 3)
    await sleep(100)
    const seen = h.receiver.requests().map((r) => `${r.method} ${r.target}`).sort()
    expect(seen).toEqual(['POST /r301', 'POST /r302', 'POST /r307'])
    const log301 = (await onlyDelivery(h, 'wh301'))?.attemptLog[0]
    expect(log301).toMatchObject({
      status: 301,
      error: 'endpoint answered 301; redirect to /r301/ not followed',
    })
    for (const code of ['302', '307']) {
      const delivery = await onlyDelivery(h, `wh${code}`)
      expect(delivery).toMatchObject({ state: 'pending', lastStatus: Number(code) })
    }
  })

  it('counts a 2xx with a 50 MB body as delivered once the status arrives', async () => {
    const h = await harness()
    h.receiver.setBehavior({ path: '/big', responses: [{ bodyBytes: 50 * 1024 * 1024 }] })
    await h.addWebhook('wh1', { uplink_message: { path: '/big' } })
    await h.accept(1)

    await waitFor(async () => (await onlyDelivery(h, 'wh1'))?.state === 'delivered')
    const delivery = await onlyDelivery(h, 'wh1')
    expect(delivery?.attemptLog).toHaveLength(1)
    expect(delivery?.attemptLog[0]?.responseExcerpt).toBeUndefined()
  })

  it('stops reading a success body at the cap instead of waiting for its end', async () => {
    // Answers 200 with 1 MiB and then never ends the body: only a capped read finishes early.
    const endless = http.createServer((req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.write(Buffer.alloc(1024 * 1024, 'x'))
    })
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve))
    const { port } = endless.address() as AddressInfo
    try {
      const h = await harness()
      await h.addWebhook('wh1', { base_url: `http://127.0.0.1:${port}` })
      await h.accept(1)

      await waitFor(async () => (await onlyDelivery(h, 'wh1'))?.state === 'delivered')
      const [attempt] = (await onlyDelivery(h, 'wh1'))!.attemptLog
      expect(attempt).toMatchObject({ status: 200 })
      expect(attempt!.durationMs).toBeLessThan(500)
    } finally {
      endless.closeAllConnections()
      endless.close()
    }
  })

  it('fails an attempt on an untrusted certificate before any request is sent', async () => {
    const fixture = (name: string) => fs.readFileSync(new URL(`fixtures/${name}`, import.meta.url))
    let received = 0
    const tls = https.createServer(
      { key: fixture('self-signed-key.pem'), cert: fixture('self-signed-cert.pem') },
      (req, res) => {
        received++
        res.end()
      },
    )
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve))
    const { port } = tls.address() as AddressInfo
    try {
      const h = await harness(NO_EARLY_RETRY)
      await h.addWebhook('wh1', { base_url: `https://127.0.0.1:${port}` })
      await h.accept(1)

      await waitFor(async () => (await onlyDelivery(h, 'wh1'))?.attemptLog.length === 1)
      const [attempt] = (await onlyDelivery(h, 'wh1'))!.attemptLog
      expect(attempt?.error).toMatch(/^TLS: DEPTH_ZERO_SELF_SIGNED_CERT: /)
      expect(received).toBe(0)
      const webhook = await waitFor(() => h.store.getWebhook('app1', 'wh1'))
      expect(webhook.lastFailedAttemptDetails).toMatchObject({ cause: { name: 'tls' } })
    } finally {
      tls.closeAllConnections()
      tls.close()
    }
  })

  it('keeps 4 KiB of a failure body in the log and 1 KiB in the health details', async () => {
    const h = await harness(NO_EARLY_RETRY)
    const body = `<html>${'e'.repeat(10 * 1024)}</html>`
    h.receiver.setBehavior({ path: '/up', responses: [{ status: 500, body }] })
    const base = h.receiver.url.replace('http://', 'http://user:pa55word@')
    await h.addWebhook('wh1', {
      base_url: base,
      uplink_message: { path: '/up' },
      headers: { 'X-Api-Key': 'top-secret-key' },
    })
    await h.accept(1)

    await waitFor(async () => (await onlyDelivery(h, 'wh1'))?.attemptLog.length === 1)
    const [attempt] = (await onlyDelivery(h, 'wh1'))!.attemptLog
    expect(attempt?.responseExcerpt).toBe(body.slice(0, 4096))
    expect(attempt?.url).toBe(`${h.receiver.url}/up`)

    const webhook = await waitFor(async () => {
      const row = await h.store.getWebhook('app1', 'wh1')
      return row?.lastFailedAttemptDetails && row
    })
    expect(webhook.lastFailedAttemptDetails).toEqual({
      namespace: 'lorahooks/worker',
      name: 'request',
      message_format: 'webhook request failed with status `{status_code}`',
      attributes: { webhook_id: 'wh1', url: `${h.receiver.url}/up`, status_code: 500 },
      code: 14,
      details: [
        {
          '@type': 'type.googleapis.com/google.protobuf.Struct',
          value: { body: body.slice(0, 1024) },
        },
      ],
    })
    const stored = JSON.stringify(webhook.lastFailedAttemptDetails)
    expect(stored).not.toContain('top-secret-key')
    expect(stored).not.toContain('pa55word')
  })
})
