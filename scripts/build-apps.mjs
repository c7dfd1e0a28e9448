#!/usr/bin/env node
// Bundles each app (with the workspace packages it uses) into apps/<app>/dist/index.js, so
// `npm start` runs plain JavaScript: no TypeScript loader in the running processes, which saves
// memory and start-up time. Third-party packages stay external and load from node_modules.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const APPS = ['api', 'worker', 'mock-endpoint']

/** Bundle our own packages; leave every other bare import to Node at run time. */
const externalDependencies = {
  name: 'external-dependencies',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@lorahooks/')) return undefined
      return { path: args.path, external: true }
    })
  },
}

await Promise.all(
  APPS.map((app) =>
    build({
      entryPoints: [path.join(root, 'apps', app, 'src', 'index.ts')],
      outfile: path.join(root, 'apps', app, 'dist', 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
      plugins: [externalDependencies],
    }),
  ),
)
