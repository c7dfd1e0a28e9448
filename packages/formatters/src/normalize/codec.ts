/** Why a value was rejected; codecs return it instead of throwing. */
export class Problem {
  constructor(readonly message: string) {}
}

/** Turns one incoming value into its canonical TTS JSON form. */
export interface ValueCodec {
  parse(value: unknown): unknown
  /** True for the proto3 default value, which TTS JSON leaves out. */
  isZero(canonical: unknown): boolean
}
