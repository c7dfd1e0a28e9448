import { spawn } from 'node:child_process'
import readline from 'node:readline'
import { NODE_FLAGS } from '../../../scripts/node-flags.mjs'
import { compiledEntry, REPO_ROOT } from '../../../test/support/services.js'

export interface BenchService {
  name: string
  pid: number
  /** The last lines the process printed, for error messages. */
  tail(): string
  stop(): Promise<number | null>
  exited: Promise<number | null>
}

/**
 * Starts an app like test/support's startService, but without waiting for a ready log line:
 * benches run at log level warn, where that line is not printed. The caller probes readiness.
 */
export function spawnService(
  name: 'api' | 'worker',
  env: Record<string, string>,
  nodeArgs: string[] = [],
): BenchService {
  // The bundles `npm start` runs (bench/run.ts builds them first): measure what ships.
  const args = [...NODE_FLAGS[name], ...nodeArgs, compiledEntry(name)]
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const keep = (line: string) => {
    lines.push(line)
    if (lines.length > 50) lines.shift()
  }
  readline.createInterface({ input: child.stdout }).on('line', keep)
  readline.createInterface({ input: child.stderr }).on('line', keep)
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))

  return {
    name,
    pid: child.pid as number,
    tail: () => lines.join('\n'),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

/** Resolves once `probe` answers true; fails early if the service exits. */
export async function waitReady(
  service: BenchService,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  let exitCode: number | null | undefined
  void service.exited.then((code) => (exitCode = code))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`${service.name} exited with ${exitCode}:\n${service.tail()}`)
    }
    if (await probe().catch(() => false)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${service.name} not ready in ${timeoutMs} ms:\n${service.tail()}`)
}
