import { schemaMessage, type SchemaMessage } from './schema/schema.js'

/**
 * Whether a webhook field mask path names something of ApplicationUp: `up`, `up.<message type>…`
 * or another top-level field, followed down the schema (as applyFieldMask reads them). Below a
 * map, a struct (decoded_payload) or a scalar any key is taken: their keys are data, not schema.
 */
function namesUpField(path: string): boolean {
  const segments = path.split('.')
  if (segments.some((segment) => segment === '')) return false

  let message: SchemaMessage | undefined = schemaMessage('ApplicationUp')
  let rest = segments
  if (segments[0] === 'up') {
    if (segments.length === 1) return true
    const type = message.byKey.get(segments[1] as string)
    if (type?.oneof !== 'up') return false
    rest = segments.slice(1)
  } else if (message.byKey.get(segments[0] as string)?.oneof === 'up') {
    // A message type is only reachable as `up.<type>`; bare, applyFieldMask ignores it.
    return false
  }
  for (const segment of rest) {
    if (message === undefined) return true
    const field = message.byKey.get(segment)
    if (!field) return false
    message = field.label === 'map' ? undefined : field.messageType
  }
  return true
}

/** The paths of a webhook's field mask that name no ApplicationUp field (typos, empty paths). */
export function unknownUpMaskPaths(paths: readonly string[]): string[] {
  return paths.filter((path) => !namesUpField(path))
}
