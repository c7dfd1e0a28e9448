// `pnpm start`: the API and the delivery worker on the embedded SQLite database, as two
// processes that meet in the database file, each running its bundle (scripts/build-apps.mjs). `--dev` adds the mock endpoint and restarts each
// process when its source changes. Stops both on SIGINT/SIGTERM, or when either one dies.
import { startService, type RunningService, type ServiceName } from '../test/support/services.js'

const dev = process.argv.includes('--dev')
const names: ServiceName[] = dev ? ['mock', 'api', 'worker'] : ['api', 'worker']
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
    const env: Record<string, string> = dev && name === 'mock' ? { MOCK_PORT: '1886' } : {}
    const service = await startService(name, { watch: dev, compiled: !dev, inheritOutput: true, env })
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
