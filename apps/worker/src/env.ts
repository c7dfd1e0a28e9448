import { z } from 'zod'
import { DEFAULT_DENY, parseCidrList, type Cidr } from './address-guard.js'
import { DEFAULT_RETRY_SCHEDULE } from './retry-policy.js'

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}
const DURATION = /^(\d+)(ms|s|m|h|d)$/

function toMilliseconds(value: string): number {
  const [, amount = '0', unit = 'ms'] = DURATION.exec(value.trim()) ?? []
  return Number(amount) * (UNIT_MS[unit] ?? 1)
}

const duration = z
  .string()
  .regex(DURATION, 'must be a duration like 500ms, 5s, 2m, 1h or 7d')
  .transform(toMilliseconds)

const positiveDuration = duration.refine((ms) => ms > 0, 'must be longer than 0')

const schedule = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim()))
  .refine(
    (entries) => entries.every((entry) => DURATION.test(entry) && toMilliseconds(entry) > 0),
    'must be a comma-separated list of durations longer than 0, like 1s,5s,30s,2m',
  )
  .transform((entries) => entries.map(toMilliseconds))

const cidrList = z.string().transform((value, context): Cidr[] => {
  try {
    return parseCidrList(value)
  } catch (error) {
    context.addIssue({ code: 'custom', message: `is invalid: ${(error as Error).message}` })
    return z.NEVER
  }
})

const publicUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL')
  .transform((value) => value.replace(/\/+$/, ''))

const integer = (fallback: string, min: number) =>
  z.string().default(fallback).transform(Number).pipe(z.number().int().min(min))

const durationOr = (fallback: string) => z.string().default(fallback).pipe(duration)
const positiveDurationOr = (fallback: string) => z.string().default(fallback).pipe(positiveDuration)

const WorkerEnvSchema = z.object({
  LORAHOOKS_DATABASE: z.string().min(1).default('./data/lorahooks.db'),
  LORAHOOKS_PUBLIC_URL: z.string().default('http://localhost:1885').pipe(publicUrl),
  LORAHOOKS_REQUEST_TIMEOUT: positiveDurationOr('5s'),
  LORAHOOKS_LEASE: positiveDurationOr('60s'),
  LORAHOOKS_WORKER_CONCURRENCY: integer('256', 1),
  LORAHOOKS_WEBHOOK_CONCURRENCY: integer('32', 1),
  LORAHOOKS_WEBHOOK_CONNECTIONS: integer('1', 1),
  LORAHOOKS_RETRY_SCHEDULE: z.string().default(DEFAULT_RETRY_SCHEDULE).pipe(schedule),
  LORAHOOKS_RETRY_MAX_AGE: durationOr('24h'),
  LORAHOOKS_UNHEALTHY_THRESHOLD: integer('5', 0),
  LORAHOOKS_UNHEALTHY_RETRY_INTERVAL: positiveDurationOr('1m'),
  LORAHOOKS_DELIVERY_ALLOW: z.string().default('').pipe(cidrList),
  LORAHOOKS_DELIVERY_DENY: z.string().default(DEFAULT_DENY.join(',')).pipe(cidrList),
  LORAHOOKS_RETENTION_AGE: durationOr('7d'),
  LORAHOOKS_RETENTION_MAX_DELIVERIES: integer('1000000', 0),
  LORAHOOKS_WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  LORAHOOKS_WORKER_METRICS_PORT: integer('1887', 0).pipe(z.number().max(65_535)),
  LORAHOOKS_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
})

export interface WorkerConfig {
  database: string
  publicUrl: string
  requestTimeoutMs: number
  leaseMs: number
  concurrency: number
  webhookConcurrency: number
  webhookConnections: number
  retryScheduleMs: number[]
  retryMaxAgeMs: number
  unhealthyThreshold: number
  unhealthyRetryIntervalMs: number
  deliveryAllow: Cidr[]
  deliveryDeny: Cidr[]
  retentionAgeMs: number
  retentionMaxDeliveries: number
  metricsHost: string
  /** 0 turns the metrics endpoint off. */
  metricsPort: number
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
      leaseMs: values.LORAHOOKS_LEASE,
      concurrency: values.LORAHOOKS_WORKER_CONCURRENCY,
      webhookConcurrency: values.LORAHOOKS_WEBHOOK_CONCURRENCY,
      webhookConnections: values.LORAHOOKS_WEBHOOK_CONNECTIONS,
      retryScheduleMs: values.LORAHOOKS_RETRY_SCHEDULE,
      retryMaxAgeMs: values.LORAHOOKS_RETRY_MAX_AGE,
      unhealthyThreshold: values.LORAHOOKS_UNHEALTHY_THRESHOLD,
      unhealthyRetryIntervalMs: values.LORAHOOKS_UNHEALTHY_RETRY_INTERVAL,
      deliveryAllow: values.LORAHOOKS_DELIVERY_ALLOW,
      deliveryDeny: values.LORAHOOKS_DELIVERY_DENY,
      retentionAgeMs: values.LORAHOOKS_RETENTION_AGE,
      retentionMaxDeliveries: values.LORAHOOKS_RETENTION_MAX_DELIVERIES,
      metricsHost: values.LORAHOOKS_WORKER_METRICS_HOST,
      metricsPort: values.LORAHOOKS_WORKER_METRICS_PORT,
      logLevel: values.LORAHOOKS_LOG_LEVEL,
    },
  }
}
