import type { Formatter } from './formatter.js'
import { jsonFormatter } from './json-formatter.js'

/** Formats by name; the `protobuf` formatter joins this list when it exists. */
const FORMATTERS: ReadonlyMap<string, Formatter> = new Map(
  [jsonFormatter].map((formatter) => [formatter.name, formatter]),
)

/** The formatter of a webhook's `format`, or undefined for a format lorahooks doesn't know. */
export function getFormatter(name: string): Formatter | undefined {
  return FORMATTERS.get(name)
}

/** The formats lorahooks can encode, which are the only ones a webhook may be set to. */
export const SUPPORTED_FORMATS: readonly string[] = [...FORMATTERS.keys()]
