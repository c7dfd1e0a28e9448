/** Proto scalar types as they appear in the TTS messages. */
export type ScalarKind =
  | 'string'
  | 'bool'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float'
  | 'double'
  | 'bytes'

export interface EnumSpec {
  readonly name: string
  /** Value names by enum number. */
  readonly values: ReadonlyMap<number, string>
}

export type FieldType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind }
  /** `bytes` that TTS JSON writes as upper-case hex (EUIs, DevAddr, NetID, keys). */
  | { readonly kind: 'hex'; readonly bytes: number }
  | { readonly kind: 'enum'; readonly enum: EnumSpec }
  | { readonly kind: 'message'; readonly message: string }
  /** google.protobuf.{Float,UInt32,String}Value: the bare value, kept even when zero. */
  | { readonly kind: 'wrapper'; readonly scalar: ScalarKind }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'duration' }
  | { readonly kind: 'struct' }
  | { readonly kind: 'any' }

export type FieldLabel = 'single' | 'repeated' | 'map'

export interface FieldSpec {
  /** Proto snake_case name, also the TTS JSON key. */
  readonly name: string
  /** Proto field number; undefined for fields newer than the definitions we know. */
  readonly number: number | undefined
  readonly type: FieldType
  readonly label: FieldLabel
  readonly oneof?: string
}

export interface MessageSpec {
  readonly name: string
  /** Fields in proto declaration order, which is the TTS JSON key order. */
  readonly fields: readonly FieldSpec[]
}
