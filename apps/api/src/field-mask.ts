import { forbiddenWebhookPaths, invalidArgument } from '@lorahooks/core'
import { isObject } from './body.js'
import { snakeCase } from './case.js'

function normalizePath(path: string): string {
  return path.trim().split('.').map(snakeCase).join('.')
}

function splitPaths(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map(normalizePath).filter(Boolean)
}

function badMask(message: string) {
  return invalidArgument('pkg/web', 'field_mask', message, { field: 'field_mask' })
}

/** `?field_mask=a,b` or grpc-gateway's repeated `?field_mask.paths=a`. */
export function maskFromQuery(query: Record<string, string[]>): string[] {
  return splitPaths([...(query['field_mask'] ?? []), ...(query['field_mask.paths'] ?? [])])
}

/**
 * A body field mask: `{"paths": [...]}` or protojson's string form `"a,b"`. Returns undefined
 * when no mask was sent, so callers can tell "no mask" from "empty mask".
 */
export function maskFromBody(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return splitPaths([value])
  if (!isObject(value)) throw badMask('`field_mask` must be {"paths": [...]} or "a,b"')

  const paths = value['paths']
  if (paths === undefined || paths === null) return []
  if (!Array.isArray(paths) || !paths.every((path) => typeof path === 'string')) {
    throw badMask('`field_mask.paths` must be a list of strings')
  }
  return splitPaths(paths as string[])
}

/** lorahooks' extension of TTS's webhook paths: readable with the rights to manage webhooks. */
export const SIGNING_SECRET_PATH = 'signing_secret'

/** Refuses paths a webhook does not have (also map keys like `headers.X-A`). */
function checkWebhookMask(paths: readonly string[]): void {
  const forbidden = forbiddenWebhookPaths(paths)
  if (forbidden.length === 0) return
  throw invalidArgument(
    'pkg/applicationserver/io/web',
    'field_mask_paths',
    `forbidden field mask paths: ${forbidden.join(', ')}`,
    { field: 'field_mask.paths', forbidden_paths: forbidden },
  )
}

/** A Get or List mask: TTS's paths plus `signing_secret`. */
export function checkWebhookReadMask(paths: readonly string[]): void {
  checkWebhookMask(paths.filter((path) => path !== SIGNING_SECRET_PATH))
}

/** A Set mask: TTS's paths; `signing_secret` only changes through rotation. */
export function checkWebhookSetMask(paths: readonly string[]): void {
  const readOnly = paths.filter((path) => path === SIGNING_SECRET_PATH)
  if (readOnly.length > 0) {
    throw invalidArgument(
      'pkg/applicationserver/io/web',
      'field_mask_read_only',
      `read-only field mask paths: ${readOnly.join(', ')}; rotate the signing secret instead`,
      { field: 'field_mask.paths', read_only_paths: readOnly },
    )
  }
  checkWebhookMask(paths)
}
