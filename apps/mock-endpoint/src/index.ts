import { readCliConfig } from './cli-config.js'
import { createMockEndpoint } from './server.js'

function writeLine(stream: NodeJS.WriteStream, fields: Record<string, unknown>): void {
  stream.write(`${JSON.stringify(fields)}\n`)
}

async function main(): Promise<void> {
  const config = readCliConfig(process.env)
  const endpoint = await createMockEndpoint(config.options)
  if (config.behavior !== undefined) endpoint.setBehavior(config.behavior)

  const stop = (): void => {
    endpoint.close().then(
      () => process.exit(0),
      (error: unknown) => {
        writeLine(process.stderr, { msg: 'close failed', error: String(error) })
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)

  writeLine(process.stdout, { msg: 'listening', url: endpoint.url })
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  writeLine(process.stderr, { msg: 'mock endpoint failed to start', error: message })
  process.exitCode = 1
})
