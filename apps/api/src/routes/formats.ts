import { FORMAT_NAMES, SUPPORTED_FORMATS } from '@lorahooks/formatters'
import { Hono } from 'hono'
import type { AppEnv } from '../context.js'

/** Only formats a webhook can be set to, so that clients never offer one that is refused. */
const FORMATS = Object.fromEntries(
  SUPPORTED_FORMATS.map((name) => [name, FORMAT_NAMES[name] ?? name]),
)

/** GetFormats needs no credentials in TTS either. */
export function formatRoutes() {
  const routes = new Hono<AppEnv>()
  routes.get('/api/v3/as/webhook-formats', (c) => c.json({ formats: { ...FORMATS } }))
  return routes
}
