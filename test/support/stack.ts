import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generateApiKey } from '@lorahooks/auth'
import { ApiClient } from './api-client.js'
import { freePort } from './free-port.js'
import { REPO_ROOT, startService, type RunningService } from './services.js'

function buildApps(): void {
  const result = spawnSync(process.execPath, ['scripts/build-apps.mjs'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`building the apps failed:\n${result.stderr}`)
}

export interface StackOptions {
  /** Extra environment for the mock endpoint (e.g. MOCK_DOWNLINK_REPLY). */
  mockEnv?: Record<string, string>
  inheritOutput?: boolean
  /** Keep the data directory after stop (the demo prints its path). */
  keepData?: boolean
  /** Extra environment for the API and the worker. */
  extraEnv?: Record<string, string>
  /** Build and run the bundles `npm start` runs, instead of the TypeScript sources. */
  compiled?: boolean
}

export interface Stack {
  api: RunningService
  worker: RunningService
  mock: RunningService
  admin: ApiClient
  adminKey: string
  apiUrl: string
  mockUrl: string
  dataDir: string
  database: string
  env: Record<string, string>
  stop(): Promise<void>
}

/**
 * What a stack of real processes on loopback needs: a fresh temporary folder for its database,
 * a free port for the API, an admin key, and the environment that names them.
 */
export async function freshStackSettings(tmpPrefix: string, logLevel: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix))
  const database = path.join(dataDir, 'lorahooks.db')
  const port = await freePort()
  const apiUrl = `http://127.0.0.1:${port}`
  const adminKey = generateApiKey().key
  const env = {
    LORAHOOKS_HTTP_PORT: String(port),
    LORAHOOKS_HTTP_HOST: '127.0.0.1',
    LORAHOOKS_DATABASE: database,
    LORAHOOKS_ADMIN_API_KEY: adminKey,
    LORAHOOKS_PUBLIC_URL: apiUrl,
    LORAHOOKS_LOG_LEVEL: logLevel,
  }
  return { dataDir, database, apiUrl, adminKey, env }
}

/** API, worker and mock endpoint as real processes on free loopback ports, one fresh database. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const fresh = await freshStackSettings('lorahooks-stack-', 'info')
  const { dataDir, database, apiUrl, adminKey } = fresh
  const env = {
    ...fresh.env,
    LORAHOOKS_WORKER_METRICS_PORT: '0',
    ...options.extraEnv,
  }
  const inheritOutput = options.inheritOutput ?? false
  const compiled = options.compiled ?? false
  if (compiled) buildApps()

  const mock = await startService('mock', {
    env: { MOCK_PORT: '0', ...options.mockEnv },
    inheritOutput,
    compiled,
  })
  const api = await startService('api', { env, inheritOutput, compiled })
  const worker = await startService('worker', { env, inheritOutput, compiled })

  const stack: Stack = {
    api,
    worker,
    mock,
    admin: new ApiClient(apiUrl, adminKey),
    adminKey,
    apiUrl,
    mockUrl: mock.url as string,
    dataDir,
    database,
    env,
    // Tests replace api and worker when they restart them: stop whatever runs now.
    async stop() {
      await Promise.all([stack.api.stop(), stack.worker.stop(), stack.mock.stop()])
      if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return stack
}
