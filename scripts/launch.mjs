#!/usr/bin/env node
// `npm start`: one Node process that prepares the clone (bootstrap), bundles the apps and runs
// the API and the delivery worker as its children. It passes SIGINT/SIGTERM/SIGHUP on, also stops
// them when its parent goes away, and exits when both children have stopped. If either child dies, the other is stopped and the exit code says so.
import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { NODE_FLAGS } from './node-flags.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function runStep(script) {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', script)], {
    cwd: root,
    stdio: 'inherit',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

runStep('bootstrap.mjs')
runStep('build-apps.mjs')

const children = ['api', 'worker'].map((app) => {
  const args = [...NODE_FLAGS[app], path.join(root, 'apps', app, 'dist', 'index.js')]
  return { app, child: spawn(process.execPath, args, { cwd: root, stdio: 'inherit' }) }
})

let stopping = false
let exitCode = 0

function stopAll(signal) {
  if (stopping) return
  stopping = true
  for (const { child } of children) if (child.exitCode === null) child.kill(signal)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll('SIGTERM'))

// npm runs scripts through `sh -c`, and sh does not pass a SIGTERM on: when whoever started us
// is gone, stop too instead of serving on as an orphan.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) stopAll('SIGTERM')
}, 500).unref()

await Promise.all(
  children.map(
    ({ app, child }) =>
      new Promise((resolve) => {
        child.once('exit', (code, signal) => {
          if (!stopping) {
            process.stderr.write(`lorahooks: ${app} exited (${signal ?? code}); stopping\n`)
            exitCode = 1
            stopAll('SIGTERM')
          }
          resolve()
        })
      }),
  ),
)
process.exit(exitCode)
