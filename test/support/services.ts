import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'
import { NODE_FLAGS } from '../../scripts/node-flags.mjs'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export const ENTRY_POINTS = {
  api: 'apps/api/src/index.ts',
  worker: 'apps/worker/src/index.ts',
  mock: 'apps/mock-endpoint/src/index.ts',
} as const

export type ServiceName = keyof typeof ENTRY_POINTS

export interface ServiceOptions {
  env?: Record<string, string>
  /** Run the bundle built by scripts/build-apps.mjs instead of the TypeScript sources. */
  compiled?: boolean
  /** Run under `node --watch` (pnpm dev). */
  watch?: boolean
  /** Pass the child's output through to ours. */
  inheritOutput?: boolean
  /** A log line (parsed JSON) that means the service is ready. */
  readyWhen?: (line: Record<string, unknown>) => boolean
  readyTimeoutMs?: number
}

export interface RunningService {
  name: string
  child: ChildProcess
  /** Every line the service printed (stdout and stderr). */
  lines: string[]
  /** The `url` field of the ready line, when it has one. */
  url?: string
  stop(signal?: NodeJS.Signals): Promise<number | null>
  exited: Promise<number | null>
}

/** The bundle of an app: apps/<app>/dist/index.js. */
export function compiledEntry(name: ServiceName): string {
  return ENTRY_POINTS[name].replace('/src/index.ts', '/dist/index.js')
}

const defaultReady = (line: Record<string, unknown>) =>
  line['msg'] === 'listening' || line['msg'] === 'worker started'

/** Starts an app as a real process (Node + tsx) and resolves once it logged that it is ready. */
export function startService(name: ServiceName, options: ServiceOptions = {}): Promise<RunningService> {
  const args = options.compiled
    ? [...NODE_FLAGS[name], compiledEntry(name)]
    : ['--import', 'tsx', ...(options.watch ? ['--watch'] : []), ENTRY_POINTS[name]]
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const readyWhen = options.readyWhen ?? defaultReady

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} did not become ready:\n${lines.slice(-20).join('\n')}`))
    }, options.readyTimeoutMs ?? 20_000)

    const service: RunningService = {
      name,
      child,
      lines,
      exited,
      async stop(signal = 'SIGTERM') {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal)
        return exited
      },
    }

    const onLine = (line: string, stream: NodeJS.WriteStream) => {
      lines.push(line)
      if (options.inheritOutput) stream.write(`${line}\n`)
      const parsed = parseJsonLine(line)
      if (parsed && readyWhen(parsed)) {
        clearTimeout(timer)
        if (typeof parsed['url'] === 'string') service.url = parsed['url']
        resolve(service)
      }
    }
    readline.createInterface({ input: child.stdout! }).on('line', (l) => onLine(l, process.stdout))
    readline.createInterface({ input: child.stderr! }).on('line', (l) => onLine(l, process.stderr))
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before it was ready:\n${lines.join('\n')}`))
    })
  })
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    return undefined
  }
}
