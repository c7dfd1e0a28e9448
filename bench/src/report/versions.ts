import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../../../test/support/services.js'

/** Where each package is resolved from: the workspace package that depends on it. */
const PACKAGES: [name: string, from: string][] = [
  ['undici', 'bench'],
  ['bullmq', 'bench'],
  ['ioredis', 'bench'],
  ['better-sqlite3', 'packages/db'],
  ['drizzle-orm', 'packages/db'],
  ['hono', 'apps/api'],
  ['@hono/node-server', 'apps/api'],
  ['tsx', '.'],
]

function packageVersion(name: string, from: string): string | undefined {
  try {
    const require = createRequire(path.join(REPO_ROOT, from, 'package.json'))
    const entry = require.resolve(name)
    // Walk up from the entry file to the package's own package.json.
    let dir = path.dirname(entry)
    while (dir !== path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json')
      if (fs.existsSync(manifest)) {
        const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, string>
        if (parsed['name'] === name) return parsed['version']
      }
      dir = path.dirname(dir)
    }
  } catch {
    // Not installed: the version stays unknown.
  }
  return undefined
}

function command(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: 'pipe' }).trim()
  } catch {
    return undefined
  }
}

export function versions(): Record<string, string> {
  const found: Record<string, string> = { node: process.versions.node }
  const pnpm = command('pnpm', ['--version'])
  if (pnpm) found['pnpm'] = pnpm
  for (const [name, from] of PACKAGES) {
    const version = packageVersion(name, from)
    if (version) found[name] = version
  }
  return found
}

export function gitState(): { commit?: string; dirty?: boolean } {
  const commit = command('git', ['rev-parse', 'HEAD'])
  const status = command('git', ['status', '--porcelain'])
  return {
    ...(commit ? { commit } : {}),
    ...(status !== undefined ? { dirty: status !== '' } : {}),
  }
}

export function machine() {
  const cpus = os.cpus()
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.release()}`,
  }
}
