import type { FieldSpec, MessageSpec } from './field-spec.js'
import { MESSAGE_SPECS } from './messages.js'
import { lowerCamelName } from './naming.js'

export interface SchemaField extends FieldSpec {
  /** Position in the message's declaration order. */
  readonly index: number
  /** lowerCamelCase name that protojson accepts as well. */
  readonly jsonName: string
  /** The resolved message of a `message` field. */
  readonly messageType: SchemaMessage | undefined
}

export interface SchemaMessage {
  readonly name: string
  readonly fields: readonly SchemaField[]
  /** Fields by snake_case and by lowerCamelCase name. */
  readonly byKey: ReadonlyMap<string, SchemaField>
  /** Names of the oneof groups of this message. */
  readonly oneofs: readonly string[]
}

interface MutableField extends FieldSpec {
  index: number
  jsonName: string
  messageType: SchemaMessage | undefined
}

function buildMessage(spec: MessageSpec): { message: SchemaMessage; fields: MutableField[] } {
  const fields: MutableField[] = spec.fields.map((fieldSpec, index) => ({
    ...fieldSpec,
    index,
    jsonName: lowerCamelName(fieldSpec.name),
    messageType: undefined,
  }))
  const byKey = new Map<string, SchemaField>()
  for (const schemaField of fields) {
    byKey.set(schemaField.name, schemaField)
    byKey.set(schemaField.jsonName, schemaField)
  }
  const oneofs = [...new Set(fields.flatMap((f) => (f.oneof ? [f.oneof] : [])))]
  return { message: { name: spec.name, fields, byKey, oneofs }, fields }
}

function buildSchema(specs: readonly MessageSpec[]): ReadonlyMap<string, SchemaMessage> {
  const built = specs.map(buildMessage)
  const byName = new Map(built.map(({ message }) => [message.name, message]))

  for (const { message, fields } of built) {
    for (const schemaField of fields) {
      if (schemaField.type.kind !== 'message') continue
      const target = byName.get(schemaField.type.message)
      if (!target) {
        throw new Error(`${message.name}.${schemaField.name}: unknown message type`)
      }
      schemaField.messageType = target
    }
  }
  return byName
}

const SCHEMA = buildSchema(MESSAGE_SPECS)

export function schemaMessage(name: string): SchemaMessage {
  const found = SCHEMA.get(name)
  if (!found) throw new Error(`no message ${name} in the TTS schema`)
  return found
}
