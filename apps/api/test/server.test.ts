import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
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
})
