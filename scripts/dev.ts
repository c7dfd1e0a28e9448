// `pnpm dev`: the mock endpoint (port 1886), the API and the delivery worker from their
// TypeScript sources, each restarted when its source changes. Stops all on SIGINT/SIGTERM, or when
// one dies. (`npm start` runs the bundled apps through scripts/launch.mjs instead.)
import { startService, type RunningService, type ServiceName } from '../test/support/services.js'

const names: ServiceName[] = ['mock', 'api', 'worker']
const running: RunningService[] = []
let stopping = false

async function stopAll(code: number): Promise<never> {
  stopping = true
  await Promise.all(running.map((service) => service.stop('SIGTERM')))
  process.exit(code)
}

process.on('SIGINT', () => void stopAll(0))
process.on('SIGTERM', () => void stopAll(0))

try {
  for (const name of names) {
    const env: Record<string, string> = name === 'mock' ? { MOCK_PORT: '1886' } : {}
    const service = await startService(name, { watch: true, inheritOutput: true, env })
    running.push(service)
    void service.exited.then((code) => {
      if (stopping) return
      process.stderr.write(`lorahooks: ${name} exited with code ${code}; stopping\n`)
      void stopAll(code === 0 ? 1 : (code ?? 1))
    })
  }
} catch (error) {
  process.stderr.write(`lorahooks: ${(error as Error).message}\n`)
  await stopAll(1)
}
