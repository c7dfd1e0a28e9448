import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from '@lorahooks/core'
import type { Store } from '@lorahooks/db'
import type { DeliveryMetrics } from './metrics.js'

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/** Serves GET /metrics in the Prometheus text format; everything else is 404. */
export class MetricsServer {
  private readonly server: http.Server

  constructor(
    private readonly metrics: DeliveryMetrics,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {
    this.server = http.createServer((req, res) => void this.handle(req, res))
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    try {
      const text = this.metrics.render(await this.store.queueStats(), Date.now())
      res.writeHead(200, { 'content-type': CONTENT_TYPE }).end(text)
    } catch (error) {
      this.logger.error({ err: error }, 'rendering metrics failed')
      res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n')
    }
  }

  /** Resolves with the URL served (port 0 picks a free one). */
  listen(host: string, port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => {
        this.server.off('error', reject)
        const address = this.server.address() as AddressInfo
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
        resolve(`http://${shownHost}:${address.port}/metrics`)
      })
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }
}
