import { invalidArgument, type LorahooksError } from '@lorahooks/core'

export const ERROR_NAMESPACE = 'formatters'

/** The error for a request body that cannot be decoded in the webhook's format. */
export function decodeBodyError(
  message: string,
  attributes?: Record<string, unknown>,
): LorahooksError {
  return invalidArgument(ERROR_NAMESPACE, 'decode_body', message, attributes)
}
