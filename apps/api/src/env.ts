import { parseApiKey } from '@lorahooks/auth'
import { z } from 'zod'
import { formatDuration, parseDuration } from './duration.js'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const port = z
  .string()
  .default('1885')
  .refine((value) => /^\d{1,5}$/.test(value) && Number(value) <= 65_535, {
    message: 'must be a port number from 0 to 65535',
  })
  .transform(Number)

const publicUrl = z
  .string()
  .default('http://localhost:1885')
  .refine(isPublicUrl, {
    message:
      'must be an absolute http(s) URL without query or fragment, like https://lns.example.com',
  })
  .transform((value) => value.replace(/\/+$/, ''))

// The message never repeats the value: it is a secret.
const adminApiKey = z
  .string()
  .optional()
  .refine((value) => value === undefined || value === '' || parseApiKey(value) !== undefined, {
    message: 'must be a TTS API key (NNSXS.<39 base32 chars>.<52 base32 chars>)',
  })
  .transform((value) => (value === '' ? undefined : value))

// The worker reads the same two variables and enforces them; the API only reports them.
const unhealthyThreshold = z
  .string()
  .default('5')
  .refine((value) => /^\d{1,9}$/.test(value), { message: 'must be a whole number from 0' })
  .transform(Number)

const unhealthyRetryInterval = z
  .string()
  .default('1m')
  .transform((value) => parseDuration(value))
  .refine((ms): ms is number => ms !== undefined && ms > 0, {
    message: 'must be a duration longer than 0, like 30s, 1m or 1h',
  })

const metricsToken = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value))

const EnvSchema = z.object({
  LORAHOOKS_HTTP_PORT: port,
  LORAHOOKS_HTTP_HOST: z.string().min(1, { message: 'must not be empty' }).default('127.0.0.1'),
  LORAHOOKS_DATABASE: z
    .string()
    .min(1, { message: 'must not be empty' })
    .default('./data/lorahooks.db'),
  LORAHOOKS_ADMIN_API_KEY: adminApiKey,
  LORAHOOKS_PUBLIC_URL: publicUrl,
  LORAHOOKS_LOG_LEVEL: z
    .enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  LORAHOOKS_UNHEALTHY_THRESHOLD: unhealthyThreshold,
  LORAHOOKS_UNHEALTHY_RETRY_INTERVAL: unhealthyRetryInterval,
  LORAHOOKS_METRICS_TOKEN: metricsToken,
})

/** Everything the API process is configured with, validated once at start. */
export interface ApiConfig {
  httpPort: number
  httpHost: string
  database: string
  adminApiKey?: string
  publicUrl: string
  logLevel: string
  /** What GET /api/v3/as/configuration reports; the delivery worker owns the real values. */
  webhooks: { unhealthyAttemptsThreshold: number; unhealthyRetryInterval: string }
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string
}

export type ConfigResult = { ok: true; config: ApiConfig } | { ok: false; message: string }

function isPublicUrl(value: string): boolean {
  try {
    const url = new URL(value)
    const schemeOk = url.protocol === 'http:' || url.protocol === 'https:'
    return schemeOk && url.hostname !== '' && url.search === '' && url.hash === ''
  } catch {
    return false
  }
}

/** Reads the LORAHOOKS_* variables; the failure message names the first bad variable. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue?.path[0] ?? 'environment')
    return { ok: false, message: `${name} ${issue?.message ?? 'is invalid'}` }
  }

  const values = parsed.data
  const config: ApiConfig = {
    httpPort: values.LORAHOOKS_HTTP_PORT,
    httpHost: values.LORAHOOKS_HTTP_HOST,
    database: values.LORAHOOKS_DATABASE,
    publicUrl: values.LORAHOOKS_PUBLIC_URL,
    logLevel: values.LORAHOOKS_LOG_LEVEL,
    webhooks: {
      unhealthyAttemptsThreshold: values.LORAHOOKS_UNHEALTHY_THRESHOLD,
      unhealthyRetryInterval: formatDuration(values.LORAHOOKS_UNHEALTHY_RETRY_INTERVAL),
    },
  }
  if (values.LORAHOOKS_ADMIN_API_KEY !== undefined) {
    config.adminApiKey = values.LORAHOOKS_ADMIN_API_KEY
  }
  if (values.LORAHOOKS_METRICS_TOKEN !== undefined) {
    config.metricsToken = values.LORAHOOKS_METRICS_TOKEN
  }
  return { ok: true, config }
}
