import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

import { afterEach, describe, expect, it } from 'vitest'

import { send, sendJson } from './test-http-client.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const running: ChildProcess[] = []

/** Spawns the CLI the way other apps' tests do and resolves with its first stdout line. */
function startCli(env: Record<string, string>): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'apps/mock-endpoint/src/index.ts'],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  running.push(child)

  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (line) => resolve({ child, line }))
    child.once('exit', (code) => reject(new Error(`CLI exited early with code ${code}`)))
  })
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

afterEach(() => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null) child.kill('SIGKILL')
  }
})

describe('CLI', () => {
  it('prints its url, serves the control API and exits cleanly on SIGTERM', async () => {
    const { child, line } = await startCli({ MOCK_PORT: '0', MOCK_RECORD: '0' })

    const printed = JSON.parse(line) as { msg: string; url: string }
    await send(printed.url, '/up', { method: 'POST', body: 'x' })
    const stats = await sendJson(printed.url, '/_mock/stats')
    const requests = await sendJson(printed.url, '/_mock/requests')
    child.kill('SIGTERM')

    expect(printed.msg).toBe('listening')
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(stats).toEqual({ status: 200, json: { count: 1, byPath: { '/up': 1 } } })
    expect(requests.json).toEqual({ requests: [], count: 1 })
    expect(await exitCode(child)).toBe(0)
  }, 20_000)

  it('answers matching uplinks with MOCK_DOWNLINK_REPLY', async () => {
    const pushes: { auth: string | undefined; body: string }[] = []
    const push = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (chunk: string) => (body += chunk))
      req.on('end', () => {
        pushes.push({ auth: req.headers.authorization, body })
        res.end()
      })
    })
    await new Promise<void>((resolve) => push.listen(0, '127.0.0.1', resolve))
    const address = push.address()
    const pushPort = typeof address === 'object' && address !== null ? address.port : 0

    try {
      const reply = '{"downlinks":[{"f_port":1,"frm_payload":"AQID"}]}'
      const { line } = await startCli({ MOCK_DOWNLINK_REPLY: reply, MOCK_DOWNLINK_PATH: '/up*' })
      const { url } = JSON.parse(line) as { url: string }

      const headers = {
        'X-Downlink-Apikey': 'NNSXS.DEMO',
        'X-Downlink-Push': `http://127.0.0.1:${pushPort}/api/v3/down/push`,
      }
      await send(url, '/up/dev-1', { method: 'POST', headers })
      await send(url, '/join/dev-1', { method: 'POST', headers })
      const deadline = Date.now() + 5_000
      while (pushes.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const results = await sendJson(url, '/_mock/downlinks')

      expect(pushes).toEqual([{ auth: 'Bearer NNSXS.DEMO', body: reply }])
      expect(results.json).toMatchObject({ results: [{ seq: 1, status: 200 }] })
    } finally {
      push.close()
    }
  }, 20_000)

  it('refuses to start on a malformed variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/mock-endpoint/src/index.ts'], {
      cwd: repoRoot,
      env: { ...process.env, MOCK_PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    running.push(child)
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))

    expect(await exitCode(child)).toBe(1)
    expect(stderr).toMatch(/MOCK_PORT must be a non-negative integer/)
  }, 20_000)
})
