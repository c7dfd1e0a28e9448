import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { freePort } from '../../../test/support/free-port.js'
import { sleep } from '../clock.js'

export interface RedisServer {
  host: string
  port: number
  /** Whether the bench started it (and stops it). */
  started: boolean
  stop(): Promise<void>
}

const HOST = '127.0.0.1'
const DEFAULT_PORT = 6379

/** Sends one inline command and returns the first reply line, or undefined on any failure. */
export function redisCommand(port: number, command: string, timeoutMs = 500) {
  return new Promise<string | undefined>((resolve) => {
    const socket = net.connect({ host: HOST, port })
    let reply = ''
    const done = (value: string | undefined) => {
      socket.destroy()
      resolve(value)
    }
    socket.setTimeout(timeoutMs, () => done(undefined))
    socket.once('error', () => done(undefined))
    socket.once('connect', () => socket.write(`${command}\r\n`))
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8')
      if (reply.includes('\r\n')) done(reply)
    })
  })
}

async function answersPing(port: number): Promise<boolean> {
  return (await redisCommand(port, 'PING'))?.startsWith('+PONG') ?? false
}

export function localRedisAnswers(): Promise<boolean> {
  return answersPing(DEFAULT_PORT)
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  )
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
  }
  for (let tries = 0; tries < 100; tries++) {
    if (await answersPing(port)) return { host: HOST, port, started: true, stop }
    if (child.exitCode !== null) break
    await sleep(50)
  }
  await stop()
  throw new Error(`redis-server on port ${port} did not answer PING`)
}

/**
 * Redis on loopback for the baseline: the one on 127.0.0.1:6379 if it answers, else a private
 * redis-server without persistence, else a reason to skip.
 */
export async function obtainRedis(): Promise<RedisServer | { skip: string }> {
  if (await answersPing(DEFAULT_PORT)) {
    return { host: HOST, port: DEFAULT_PORT, started: false, stop: async () => {} }
  }
  if (!hasRedisServer()) {
    return { skip: 'no Redis answers on 127.0.0.1:6379 and redis-server is not installed' }
  }
  try {
    return await startRedis()
  } catch (error) {
    return { skip: `could not start redis-server: ${(error as Error).message}` }
  }
}

/** Server version and process id, from INFO. */
export async function redisInfo(port: number): Promise<{ version?: string; pid?: number }> {
  const reply = await readInfo(port)
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(reply)?.[1]?.trim()
  const pid = field('process_id')
  const version = field('redis_version')
  return { ...(version ? { version } : {}), ...(pid ? { pid: Number(pid) } : {}) }
}

function readInfo(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port })
    let reply = ''
    const done = () => {
      socket.destroy()
      resolve(reply)
    }
    socket.setTimeout(1000, done)
    socket.once('error', done)
    socket.once('connect', () => socket.write('INFO server\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8')
      const header = /^\$(\d+)\r\n/.exec(reply)
      if (header && Buffer.byteLength(reply) >= Number(header[1]) + header[0].length) done()
    })
  })
}
