/** gRPC status codes, as TTS puts them in the `code` field of its error bodies. */
export const GrpcCode = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const

export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode]

const HTTP_STATUS_BY_GRPC: Record<number, number> = {
  [GrpcCode.CANCELLED]: 499,
  [GrpcCode.INVALID_ARGUMENT]: 400,
  [GrpcCode.FAILED_PRECONDITION]: 400,
  [GrpcCode.OUT_OF_RANGE]: 400,
  [GrpcCode.UNAUTHENTICATED]: 401,
  [GrpcCode.PERMISSION_DENIED]: 403,
  [GrpcCode.NOT_FOUND]: 404,
  [GrpcCode.ALREADY_EXISTS]: 409,
  [GrpcCode.ABORTED]: 409,
  [GrpcCode.RESOURCE_EXHAUSTED]: 429,
  [GrpcCode.UNIMPLEMENTED]: 501,
  [GrpcCode.UNAVAILABLE]: 503,
  [GrpcCode.DEADLINE_EXCEEDED]: 504,
}

/** The HTTP status TTS answers for a gRPC code (pkg/errors/http.go). */
export function httpStatusForGrpc(code: number): number {
  return HTTP_STATUS_BY_GRPC[code] ?? 500
}

export type ErrorAttributes = Record<string, unknown>

export interface LorahooksErrorInit {
  namespace: string
  name: string
  message: string
  code: GrpcCode
  attributes?: ErrorAttributes
  cause?: unknown
}

/**
 * The one error class of lorahooks. It carries what a TTS error body needs (namespace, name,
 * gRPC code, attributes); the API renders it at the edge, packages never know about HTTP.
 */
export class LorahooksError extends Error {
  readonly namespace: string
  readonly errorName: string
  readonly code: GrpcCode
  readonly attributes: ErrorAttributes

  constructor(init: LorahooksErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'LorahooksError'
    this.namespace = init.namespace
    this.errorName = init.name
    this.code = init.code
    this.attributes = init.attributes ?? {}
  }

  get httpStatus(): number {
    return httpStatusForGrpc(this.code)
  }
}

export function isLorahooksError(value: unknown): value is LorahooksError {
  return value instanceof LorahooksError
}

type ErrorFactory = (
  namespace: string,
  name: string,
  message: string,
  attributes?: ErrorAttributes,
) => LorahooksError

function factory(code: GrpcCode): ErrorFactory {
  return (namespace, name, message, attributes) =>
    new LorahooksError({ namespace, name, message, code, attributes })
}

export const invalidArgument = factory(GrpcCode.INVALID_ARGUMENT)
export const notFound = factory(GrpcCode.NOT_FOUND)
export const alreadyExists = factory(GrpcCode.ALREADY_EXISTS)
export const permissionDenied = factory(GrpcCode.PERMISSION_DENIED)
export const unauthenticated = factory(GrpcCode.UNAUTHENTICATED)
export const failedPrecondition = factory(GrpcCode.FAILED_PRECONDITION)
export const resourceExhausted = factory(GrpcCode.RESOURCE_EXHAUSTED)
export const unavailable = factory(GrpcCode.UNAVAILABLE)
export const internalError = factory(GrpcCode.INTERNAL)

/** One problem with one field of a request, as listed in `attributes.violations`. */
export interface FieldViolation {
  field: string
  message: string
}

/** A 400 naming every field at fault; the first one also goes in the message. */
export function validationError(namespace: string, violations: FieldViolation[]): LorahooksError {
  const first = violations[0]
  const summary = first ? `invalid \`${first.field}\`: ${first.message}` : 'invalid request'
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : ''
  return invalidArgument(namespace, 'validation', summary + more, {
    field: first?.field,
    violations,
  })
}

/** The JSON body of a TTS error answer (`google.rpc.Status` with `ErrorDetails`). */
export interface TtsErrorBody {
  code: number
  message: string
  details: Array<{
    '@type': string
    namespace: string
    name: string
    message_format: string
    attributes?: ErrorAttributes
    correlation_id: string
    code: number
  }>
}

export function toTtsErrorBody(error: LorahooksError, correlationId: string): TtsErrorBody {
  const hasAttributes = Object.keys(error.attributes).length > 0
  return {
    code: error.code,
    message: `error:${error.namespace}:${error.errorName} (${error.message})`,
    details: [
      {
        '@type': 'type.googleapis.com/ttn.lorawan.v3.ErrorDetails',
        namespace: error.namespace,
        name: error.errorName,
        message_format: error.message,
        ...(hasAttributes ? { attributes: error.attributes } : {}),
        correlation_id: correlationId,
        code: error.code,
      },
    ],
  }
}
