#!/usr/bin/env node
// Prepares a clone for use on a machine that has only Node 20 and npm: installs the pinned pnpm
// if it is missing, then the workspace dependencies when the lockfile changed since the last
// install. Quiet and quick when there is nothing to do.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
const pnpmVersion = manifest.packageManager.replace(/^pnpm@/, '')
const marker = path.join(root, 'node_modules', '.lorahooks-install')

function fail(message) {
  process.stderr.write(`lorahooks setup: ${message}\n`)
  process.exit(1)
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number)
  if (major < 20 || (major === 20 && minor < 18)) {
    fail(`Node ${process.versions.node} is too old: lorahooks needs Node 20.18 or newer`)
  }
}

function installedPnpm() {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: 'pipe' }).trim()
  } catch {
    return undefined
  }
}

function ensurePnpm() {
  if (installedPnpm() === pnpmVersion) return
  process.stderr.write(`lorahooks setup: installing pnpm ${pnpmVersion} with npm\n`)
  const result = spawnSync('npm', ['install', '--global', `pnpm@${pnpmVersion}`], {
    stdio: 'inherit',
  })
  if (result.status !== 0 || installedPnpm() !== pnpmVersion) {
    fail(`could not install pnpm ${pnpmVersion}; run: npm install --global pnpm@${pnpmVersion}`)
  }
}

function installIsCurrent() {
  if (!fs.existsSync(marker)) return false
  const lock = fs.readFileSync(path.join(root, 'pnpm-lock.yaml'), 'utf8')
  return fs.readFileSync(marker, 'utf8') === lock.length + ':' + hash(lock)
}

function hash(text) {
  let h = 0
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0
  return String(h >>> 0)
}

function installDependencies() {
  process.stderr.write('lorahooks setup: installing dependencies (pnpm install)\n')
  const result = spawnSync('pnpm', ['install', '--frozen-lockfile'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CI: process.env.CI ?? 'true' },
  })
  if (result.status !== 0) fail('pnpm install failed (see above)')
  const lock = fs.readFileSync(path.join(root, 'pnpm-lock.yaml'), 'utf8')
  fs.writeFileSync(marker, lock.length + ':' + hash(lock))
}

checkNode()
ensurePnpm()
if (!installIsCurrent()) installDependencies()
