import { FORMAT_NAMES } from '@lorahooks/formatters'
import { Hono } from 'hono'
import type { AppEnv } from '../context.js'

/** GetFormats needs no credentials in TTS either. */
export function formatRoutes() {
  const routes = new Hono<AppEnv>()
  routes.get('/api/v3/as/webhook-formats', (c) => c.json({ formats: { ...FORMAT_NAMES } }))
  return routes
}
