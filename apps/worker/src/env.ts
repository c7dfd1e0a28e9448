import { z } from 'zod'

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, 'must be a duration like 500ms, 5s, 2m or 1h')
  .transform(toMilliseconds)

function toMilliseconds(value: string): number {
  const amount = Number.parseInt(value, 10)
  if (value.endsWith('ms')) return amount
  const unit = value.at(-1)
  return amount * (unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000)
}

const publicUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL')
  .transform((value) => value.replace(/\/+$/, ''))

const positiveInt = (fallback: string) =>
  z.string().default(fallback).transform(Number).pipe(z.number().int().positive())

const durationOr = (fallback: string) => z.string().default(fallback).pipe(duration)

const WorkerEnvSchema = z.object({
  LORAHOOKS_DATABASE: z.string().min(1).default('./data/lorahooks.db'),
  LORAHOOKS_PUBLIC_URL: z.string().default('http://localhost:1885').pipe(publicUrl),
  LORAHOOKS_REQUEST_TIMEOUT: durationOr('5s'),
  LORAHOOKS_WORKER_CONCURRENCY: positiveInt('256'),
  LORAHOOKS_WEBHOOK_CONCURRENCY: positiveInt('32'),
  LORAHOOKS_WEBHOOK_CONNECTIONS: positiveInt('1'),
  LORAHOOKS_RETRY_MAX_AGE: durationOr('24h'),
  LORAHOOKS_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
})

export interface WorkerConfig {
  database: string
  publicUrl: string
  requestTimeoutMs: number
  concurrency: number
  webhookConcurrency: number
  webhookConnections: number
  retryMaxAgeMs: number
  logLevel: string
}

export type ConfigResult = { ok: true; config: WorkerConfig } | { ok: false; message: string }

/** Validates the environment once; the message names the first bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = WorkerEnvSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue?.path[0] ?? 'environment')
    return { ok: false, message: `${name} ${issue?.message ?? 'is invalid'}` }
  }
  const values = parsed.data
  return {
    ok: true,
    config: {
      database: values.LORAHOOKS_DATABASE,
      publicUrl: values.LORAHOOKS_PUBLIC_URL,
      requestTimeoutMs: values.LORAHOOKS_REQUEST_TIMEOUT,
      concurrency: values.LORAHOOKS_WORKER_CONCURRENCY,
      webhookConcurrency: values.LORAHOOKS_WEBHOOK_CONCURRENCY,
      webhookConnections: values.LORAHOOKS_WEBHOOK_CONNECTIONS,
      retryMaxAgeMs: values.LORAHOOKS_RETRY_MAX_AGE,
      logLevel: values.LORAHOOKS_LOG_LEVEL,
    },
  }
}
