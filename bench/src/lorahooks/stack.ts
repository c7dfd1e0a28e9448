import fs from 'node:fs'
import path from 'node:path'
import { ApiClient } from '../../../test/support/api-client.js'
import { freshStackSettings } from '../../../test/support/stack.js'
import { APPLICATION_ID, deviceId, devEui } from '../payload.js'
import { spawnService, waitReady, type BenchService } from '../procs/services.js'

export interface WebhookSpec {
  id: string
  baseUrl: string
  path: string
}

export interface StackOptions {
  webhooks: WebhookSpec[]
  devices: number
  workerEnv?: Record<string, string>
  /** Write CPU profiles of both processes here. */
  cpuProfDir?: string
}

export interface LorahooksStack {
  api: BenchService
  worker: BenchService
  apiUrl: string
  adminKey: string
  database: string
  stop(): Promise<void>
}

function profileArgs(dir: string | undefined, name: string): string[] {
  if (!dir) return []
  const target = path.join(dir, name)
  fs.mkdirSync(target, { recursive: true })
  return ['--cpu-prof', `--cpu-prof-dir=${target}`]
}

async function provision(admin: ApiClient, options: StackOptions): Promise<void> {
  await admin.ok('POST', '/api/v3/applications', {
    application: { ids: { application_id: APPLICATION_ID } },
  })
  for (let first = 0; first < options.devices; first += 20) {
    const last = Math.min(first + 20, options.devices)
    const creates = []
    for (let index = first; index < last; index++) {
      creates.push(
        admin.ok('POST', `/api/v3/applications/${APPLICATION_ID}/devices`, {
          end_device: {
            ids: {
              device_id: deviceId(index),
              application_ids: { application_id: APPLICATION_ID },
              dev_eui: devEui(index),
            },
          },
        }),
      )
    }
    await Promise.all(creates)
  }
  for (const webhook of options.webhooks) await addWebhook(admin, webhook)
}

/** Creates one webhook of the bench application (uplinks only, JSON). */
export async function addWebhook(admin: ApiClient, webhook: WebhookSpec): Promise<void> {
  await admin.ok('POST', `/api/v3/as/webhooks/${APPLICATION_ID}`, {
    webhook: {
      ids: { application_ids: { application_id: APPLICATION_ID }, webhook_id: webhook.id },
      base_url: webhook.baseUrl,
      format: 'json',
      uplink_message: { path: webhook.path },
    },
  })
}

/** A real API and worker process on a fresh database, with the bench application provisioned. */
export async function startLorahooks(options: StackOptions): Promise<LorahooksStack> {
  const { dataDir, database, apiUrl, adminKey, env } = await freshStackSettings(
    'lorahooks-bench-',
    'warn',
  )

  const api = spawnService('api', env, profileArgs(options.cpuProfDir, 'api'))
  const services: BenchService[] = [api]
  const stop = async () => {
    await Promise.all(services.map((service) => service.stop()))
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    await waitReady(api, async () => (await fetch(`${apiUrl}/healthz/ready`)).ok)
    // The API has created the schema by now; the worker boots while the API is provisioned.
    const worker = spawnService(
      'worker',
      { ...env, LORAHOOKS_WORKER_METRICS_PORT: '0', ...options.workerEnv },
      profileArgs(options.cpuProfDir, 'worker'),
    )
    services.push(worker)
    await provision(new ApiClient(apiUrl, adminKey), options)
    return { api, worker, apiUrl, adminKey, database, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
