import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Progress, ReceiverCommand, ReceiverReply, ReceiverStats } from './protocol.js'

const ENTRY = fileURLToPath(new URL('./receiver-process.ts', import.meta.url))

type Pending = (body: unknown) => void

/** The bench side of the receiver process: start it, reset it, read its counters. */
export class Receiver {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly blackholeUrl: string,
  ) {
    child.on('message', (reply: ReceiverReply) => {
      if (reply.type !== 'reply') return
      this.pending.get(reply.id)?.(reply.body)
      this.pending.delete(reply.id)
    })
  }

  static start(): Promise<Receiver> {
    const child = fork(ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    return new Promise((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code) => reject(new Error(`receiver exited with ${code} at start`)))
      child.once('message', (reply: ReceiverReply) => {
        if (reply.type === 'ready') resolve(new Receiver(child, reply.url, reply.blackholeUrl))
      })
    })
  }

  get pid(): number {
    return this.child.pid as number
  }

  private ask<T>(type: ReceiverCommand['type']): Promise<T> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve as Pending)
      this.child.send({ id, type } satisfies ReceiverCommand)
    })
  }

  async reset(): Promise<void> {
    await this.ask('reset')
  }

  progress(): Promise<Progress> {
    return this.ask('progress')
  }

  stats(): Promise<ReceiverStats> {
    return this.ask('stats')
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.disconnect()
    await exited
  }
}
