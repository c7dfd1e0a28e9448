import {
  GrpcCode,
  internalError,
  invalidArgument,
  isLorahooksError,
  LorahooksError,
  notFound,
  toTtsErrorBody,
  type FieldViolation,
} from '@lorahooks/core'
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { ZodError } from 'zod'
import { requestLogger, type AppEnv } from './context.js'

/** A body larger than the route allows; no gRPC code maps to 413, hence the override. */
export class PayloadTooLargeError extends LorahooksError {
  constructor(limitBytes: number) {
    super({
      namespace: 'pkg/web',
      name: 'request_too_large',
      message: `the request body is larger than ${limitBytes} bytes`,
      code: GrpcCode.RESOURCE_EXHAUSTED,
      attributes: { limit_bytes: limitBytes },
    })
  }

  override get httpStatus(): number {
    return 413
  }
}

/**
 * The client went away before its request body ended. Nobody is left to read the answer, so
 * this is not a server error: it is counted and logged as 499 (gRPC CANCELLED), not as a 500.
 */
export function requestAborted(): LorahooksError {
  const message = 'the client closed the connection before the end of the request body'
  return new LorahooksError({
    namespace: 'pkg/web',
    name: 'request_aborted',
    message,
    code: GrpcCode.CANCELLED,
  })
}

export function malformedBody(reason: string): LorahooksError {
  const message = `the request body is not valid JSON: ${reason}`
  return invalidArgument('pkg/web', 'decode_body', message, { field: 'body' })
}

function fromZod(error: ZodError): LorahooksError {
  const violations: FieldViolation[] = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || 'body',
    message: issue.message,
  }))
  const first = violations[0]
  const message = first ? `invalid \`${first.field}\`: ${first.message}` : 'invalid request'
  return invalidArgument('pkg/web', 'validation', message, { field: first?.field, violations })
}

function toLorahooksError(error: unknown): LorahooksError | undefined {
  if (isLorahooksError(error)) return error
  if (error instanceof ZodError) return fromZod(error)
  if (error instanceof SyntaxError) return malformedBody(error.message)
  return undefined
}

function render(c: Context<AppEnv>, error: LorahooksError): Response {
  const body = toTtsErrorBody(error, c.get('requestId') ?? '')
  return c.json(body, error.httpStatus as 400)
}

/** Renders every thrown error in the TTS error shape; unknown errors become a generic 500. */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  const known = toLorahooksError(error)
  if (known && known.httpStatus < 500) return render(c, known)

  requestLogger(c).error({ err: error }, 'request failed')
  if (known) return render(c, known)
  return render(c, internalError('pkg/web', 'internal', 'internal server error'))
}

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  render(c, notFound('pkg/web', 'route_not_found', `no route for ${c.req.method} ${c.req.path}`))
