import { randomBytes } from 'node:crypto'
import type { RecordedRequest } from '@lorahooks/mock-endpoint/lib'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { AddressGuard, DEFAULT_DENY, parseCidrList } from '../src/address-guard.js'
import {
  attemptLines,
  header,
  sleep,
  harnessPerTest,
  waitFor,
} from './harness.js'

const harness = harnessPerTest()

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`

function verifies(secret: string, request: RecordedRequest): boolean {
  const headers = Object.fromEntries(request.headers.map(([k, v]) => [k.toLowerCase(), v]))
  try {
    new Webhook(secret).verify(Buffer.from(request.body, 'base64'), headers)
    return true
  } catch {
    return false
  }
}

function guardOf(allow: string, deny: string): AddressGuard {
  return new AddressGuard({ allow: parseCidrList(allow), deny: parseCidrList(deny) })
}

describe('signatures', () => {
  it('signs with both secrets during a rotation grace period, the new one first', async () => {
    const h = await harness()
    const [oldSecret, rotated] = [newSecret(), newSecret()]
    await h.addWebhook('wh1', {}, { secret: oldSecret })
    await h.addWebhook('wh1', {}, {
      secret: rotated,
      previousValidUntil: new Date(Date.now() + 60_000).toISOString(),
    })
    await h.accept(1)

    const [request] = await waitFor(() => h!.receiver.count() === 1 && h!.receiver.requests())
    const signatures = header(request!, 'webhook-signature')[0]!.split(' ')
    expect(signatures).toHaveLength(2)
    expect(signatures.every((s) => s.startsWith('v1,'))).toBe(true)
    expect(verifies(rotated, request!)).toBe(true)
    expect(verifies(oldSecret, request!)).toBe(true)
    expect(verifies(newSecret(), request!)).toBe(false)
  })

  it('sends no signature without a secret, but still the id and timestamp', async () => {
    const h = await harness()
    await h.addWebhook('wh1', { headers: { 'Webhook-Id': 'spoofed' } })
    const messageId = await h.accept(1)

    const [request] = await waitFor(() => h!.receiver.count() === 1 && h!.receiver.requests())
    expect(header(request!, 'webhook-id')).toEqual([`msg_${messageId}`])
    expect(header(request!, 'webhook-timestamp')[0]).toMatch(/^\d{10}$/)
    expect(header(request!, 'webhook-signature')).toEqual([])
  })
})

describe('address guard', () => {
  it('refuses a denied IP literal and a hostname resolving to a denied address', async () => {
    const h = await harness({
      worker: { retry: { scheduleMs: [30_000], maxAgeMs: 60_000 } },
      sender: { guard: guardOf('', '127.0.0.0/8,::1/128') },
    })
    const port = h.receiver.port
    await h.addWebhook('literal', { base_url: `http://127.0.0.1:${port}/h` })
    await h.addWebhook('named', { base_url: `http://localhost:${port}/h` })
    await h.accept(1)

    await waitFor(() => h!.logs.filter((line) => line['msg'] === 'delivery attempt').length === 2)
    await sleep(100)
    expect(h.receiver.count()).toBe(0)
    expect(attemptLines(h.logs, 'literal')[0]).toMatchObject({
      outcome: 'retry',
      error: 'address denied: 127.0.0.1',
    })
    const named = String(attemptLines(h.logs, 'named')[0]?.['error'])
    expect(named).toMatch(/^address denied: (127\.0\.0\.1|::1)$/)
    const webhook = await h.store.getWebhook('app1', 'literal')
    expect(webhook?.lastFailedAttemptDetails).toMatchObject({
      attributes: { webhook_id: 'literal' },
      cause: { name: 'address_denied', message_format: 'address denied: 127.0.0.1' },
    })
  })

  it('delivers to loopback under the default deny list and a loopback allow list', async () => {
    const h = await harness({
      sender: { guard: guardOf('127.0.0.0/8', DEFAULT_DENY.join(',')) },
    })
    await h.addWebhook('wh1', {})
    await h.accept(1)
    await waitFor(async () => (await h.store.countDeliveries())['delivered'] === 1)
    expect(h.receiver.count()).toBe(1)
  })
})
