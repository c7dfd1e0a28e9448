import { Pool } from 'undici'
import { nowNs, sleep } from '../clock.js'
import { APPLICATION_ID, deviceId, ingestUplink } from '../payload.js'

const BATCH_PATH = `/api/v3/as/applications/${APPLICATION_ID}/up/batch`

function simulatePath(device: number): string {
  return `/api/v3/as/applications/${APPLICATION_ID}/devices/${deviceId(device)}/up/simulate`
}

/** Drives the ingest endpoints over a pool of keep-alive connections. */
export class Ingest {
  private readonly pool: Pool
  private readonly headers: Record<string, string>
  private seq = 0
  /** Answer times of the API, one per request, in ms. */
  readonly answerMs: number[] = []

  constructor(
    apiUrl: string,
    apiKey: string,
    private readonly devices: number,
    connections: number,
  ) {
    this.pool = new Pool(apiUrl, { connections, keepAliveTimeout: 60_000 })
    this.headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }
  }

  private nextMessage(sentAtNs: number) {
    const seq = this.seq++
    const device = seq % this.devices
    return { device, message: ingestUplink(device, Math.floor(seq / this.devices) + 1, sentAtNs) }
  }

  private async post(path: string, body: string): Promise<string> {
    const started = performance.now()
    const response = await this.pool.request({ method: 'POST', path, headers: this.headers, body })
    const text = await response.body.text()
    this.answerMs.push(performance.now() - started)
    if (response.statusCode !== 200) {
      throw new Error(`POST ${path} answered ${response.statusCode}: ${text.slice(0, 300)}`)
    }
    return text
  }

  /** One batch request of `size` messages stamped with the time it is sent. */
  async batch(size: number): Promise<void> {
    const sentAt = nowNs()
    const messages = Array.from({ length: size }, () => this.nextMessage(sentAt).message)
    const text = await this.post(BATCH_PATH, JSON.stringify({ messages }))
    const accepted = (JSON.parse(text) as { accepted?: number }).accepted
    if (accepted !== size) throw new Error(`batch accepted ${accepted} of ${size} messages`)
  }

  async simulate(sentAt = nowNs()): Promise<void> {
    const { device, message } = this.nextMessage(sentAt)
    const { uplink_message } = message
    await this.post(simulatePath(device), JSON.stringify({ uplink_message }))
  }

  /** Sends `total` messages in batches, `parallel` requests at a time; resolves when all are in. */
  async batches(total: number, batchSize: number, parallel: number): Promise<void> {
    let left = total
    const lane = async () => {
      while (left > 0) {
        const size = Math.min(batchSize, left)
        left -= size
        await this.batch(size)
      }
    }
    await Promise.all(Array.from({ length: parallel }, lane))
  }

  /** Sends `total` messages one per simulate request, `parallel` at a time. */
  async simulated(total: number, parallel: number): Promise<void> {
    let left = total
    const lane = async () => {
      while (left > 0) {
        left--
        await this.simulate()
      }
    }
    await Promise.all(Array.from({ length: parallel }, lane))
  }

  /**
   * Open loop for `seconds` at `rate` messages/s, so a slow answer delays nothing and shows up
   * as latency instead. Without `batchEveryMs` each message is its own simulate request, stamped
   * with its scheduled time; with it, the messages due are sent as one batch request every
   * `batchEveryMs`, stamped when the batch is sent (the wait for the batch is the feeder's).
   */
  async atRate(rate: number, seconds: number, batchEveryMs?: number): Promise<number> {
    const start = nowNs()
    const total = Math.round(rate * seconds)
    const inFlight = new Set<Promise<void>>()
    let sent = 0
    let failure: unknown
    const track = (request: Promise<void>) => {
      const tracked = request.catch((error: unknown) => {
        failure = error
      })
      inFlight.add(tracked)
      void tracked.finally(() => inFlight.delete(tracked))
    }
    while (sent < total && failure === undefined) {
      const due = Math.min(total, Math.floor(((nowNs() - start) / 1e9) * rate) + 1)
      if (batchEveryMs !== undefined && due > sent) {
        track(this.batch(due - sent))
        sent = due
      }
      for (; sent < due; sent++) track(this.simulate(start + (sent / rate) * 1e9))
      await sleep(batchEveryMs ?? 1)
    }
    await Promise.all(inFlight)
    if (failure !== undefined) throw failure
    return sent
  }

  async close(): Promise<void> {
    await this.pool.close()
  }
}
