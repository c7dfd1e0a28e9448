import type { CanonicalUp } from './normalize/normalize-application-up.js'

/** One webhook message encoding (`json`, later `protobuf`). */
export interface Formatter {
  readonly name: string
  readonly contentType: string
  /** Encodes one canonical ApplicationUp to the request body. */
  encodeUp(up: CanonicalUp): Uint8Array
  /**
   * Decodes a downlink request body `{"downlinks":[...]}` to plain JSON-shaped objects
   * (snake_case keys, bytes as base64 strings). Throws a `decode_body` LorahooksError.
   */
  decodeDownlinks(body: Uint8Array): { downlinks: unknown[] }
}
