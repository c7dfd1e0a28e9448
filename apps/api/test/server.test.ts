import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const appDir = fileURLToPath(new URL('..', import.meta.url))
let dir: string
let children: ChildProcess[]

interface Started {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<number | null>
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: appDir,
    env: {
      PATH: process.env['PATH'] ?? '',
      LORAHOOKS_HTTP_PORT: '0',
      LORAHOOKS_DATABASE: path.join(dir, 'lorahooks.db'),
      ...env,
    },
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk) => (out += chunk))
  child.stderr?.on('data', (chunk) => (err += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { child, stdout: () => out, stderr: () => err, exited }
}

async function listeningUrl(started: Started): Promise<string> {
  for (let i = 0; i < 200; i++) {
    for (const line of started.stdout().split('\n')) {
      if (!line.includes('"listening"')) continue
      const parsed = JSON.parse(line) as { msg: string; url: string }
      expect(parsed.msg).toBe('listening')
      return parsed.url
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no listening line; stderr: ${started.stderr()}`)
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-server-'))
  children = []
})
afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('the API process', () => {
  it('prints one configuration error line and exits 1', async () => {
    const started = start({ LORAHOOKS_HTTP_PORT: 'eighty' })
    expect(await started.exited).toBe(1)
    const message = 'LORAHOOKS_HTTP_PORT must be a port number from 0 to 65535'
    expect(started.stderr()).toBe(`lorahooks: invalid configuration: ${message}\n`)
  }, 20_000)

  it('serves on 127.0.0.1, prints a generated admin key once and stops on SIGTERM', async () => {
    const first = start({})
    const url = await listeningUrl(first)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const key = /NNSXS\.[A-Z2-7]{39}\.[A-Z2-7]{52}/.exec(first.stderr())?.[0]
    expect(key).toBeDefined()
    expect(first.stdout()).not.toContain(key)

    const live = await fetch(`${url}/healthz/live`)
    expect(await live.json()).toEqual({ status: 'ok' })
    const apps = await fetch(`${url}/api/v3/applications`, {
      headers: { Authorization: `Bearer ${key}` },
    })
    expect(apps.status).toBe(200)

    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)

    const second = start({})
    await listeningUrl(second)
    expect(second.stderr()).not.toMatch(/NNSXS/)
    second.child.kill('SIGINT')
    expect(await second.exited).toBe(0)
  }, 30_000)

  it('still exits on SIGTERM when nobody reads its stdout any more (npm start | head)', async () => {
    const started = start({})
    await listeningUrl(started)
    // Closing our end of the pipe makes the API's next log writes fail with EPIPE.
    started.child.stdout?.destroy()
    started.child.kill('SIGTERM')
    const hung = new Promise<string>((resolve) => setTimeout(() => resolve('hung'), 8_000))
    expect(await Promise.race([started.exited, hung])).toBe(0)
  }, 30_000)

  /** The last stderr line, after checking that no stack trace came before it. */
  async function failure(started: Started): Promise<string> {
    expect(await started.exited).toBe(1)
    expect(started.stderr()).not.toMatch(/^\s+at /m)
    expect(started.stdout()).not.toContain('"listening"')
    return started.stderr().trimEnd().split('\n').at(-1) ?? ''
  }

  it('prints one line and exits 1 when the port is in use', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    try {
      const port = (blocker.address() as net.AddressInfo).port
      const started = start({ LORAHOOKS_HTTP_PORT: String(port), LORAHOOKS_HTTP_HOST: '127.0.0.1' })
      expect(await failure(started)).toBe(
        `lorahooks: cannot listen on 127.0.0.1:${port}: address already in use ` +
          '(set LORAHOOKS_HTTP_PORT)',
      )
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  }, 20_000)

  it('prints one line and exits 1 for a host address that is not on this machine', async () => {
    // 192.0.2.1 is TEST-NET-1: binding to it fails locally, nothing is sent anywhere.
    const started = start({ LORAHOOKS_HTTP_HOST: '192.0.2.1' })
    expect(await failure(started)).toBe(
      'lorahooks: cannot listen on 192.0.2.1:0: the address is not one of this host ' +
        '(set LORAHOOKS_HTTP_HOST)',
    )
  }, 20_000)

  it('prints one line and exits 1 when the database cannot be created', async () => {
    const file = path.join(dir, 'a-file')
    fs.writeFileSync(file, '')
    const database = path.join(file, 'x.db')
    const started = start({ LORAHOOKS_DATABASE: database })
    const line = await failure(started)
    expect(line).toMatch(new RegExp(`^lorahooks: cannot open the database ${database}: `))
    expect(line).toMatch(/\(set LORAHOOKS_DATABASE\)$/)
    expect(started.stderr().trimEnd().split('\n')).toHaveLength(1)
  }, 20_000)

  it('prints one line and exits 1 when the database file is not SQLite', async () => {
    const database = path.join(dir, 'not-sqlite.db')
    fs.writeFileSync(database, 'x'.repeat(4096))
    const line = await failure(start({ LORAHOOKS_DATABASE: database }))
    expect(line).toMatch(/^lorahooks: cannot open the database .*not-sqlite\.db: /)
  }, 20_000)
})
