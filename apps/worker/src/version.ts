import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const manifest = require('../package.json') as { version: string }

export const WORKER_VERSION = manifest.version

/** The User-Agent of deliveries, unless the webhook configures its own. */
export const USER_AGENT = `lorahooks/${WORKER_VERSION} (${process.platform}/${process.arch})`
