import fs from 'node:fs'

interface Schema {
  type?: string
  format?: string
  $ref?: string
  enum?: string[]
  items?: Schema
  properties?: Record<string, Schema>
  additionalProperties?: Schema | boolean
}

const fixture = JSON.parse(
  fs.readFileSync(new URL('./fixtures/tts-openapi-definitions.json', import.meta.url), 'utf8'),
) as { definitions: Record<string, Schema> }

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema
  const name = schema.$ref.split('/').at(-1) ?? ''
  const definition = fixture.definitions[name]
  if (!definition) throw new Error(`definition ${name} is not in the fixture`)
  return { ...definition, ...(schema.type ? { type: schema.type } : {}) }
}

function isFieldMaskObject(value: unknown): boolean {
  const paths = (value as { paths?: unknown })?.paths
  return Array.isArray(paths) && paths.every((path) => typeof path === 'string')
}

function checkObject(value: unknown, schema: Schema, path: string, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: expected an object`)
    return
  }
  for (const [key, inner] of Object.entries(value)) {
    const property = schema.properties?.[key]
    const extra = schema.additionalProperties
    if (property) check(inner, property, `${path}.${key}`, problems)
    else if (typeof extra === 'object') check(inner, extra, `${path}.${key}`, problems)
    else if (extra !== true && schema.properties) problems.push(`${path}.${key}: not defined`)
  }
}

function check(value: unknown, raw: Schema, path: string, problems: string[]): void {
  const schema = resolve(raw)
  const type = schema.type ?? (schema.properties ? 'object' : undefined)
  // TTS's marshaller writes FieldMask as {"paths": [...]}; the OpenAPI generator calls it a string.
  if (path.endsWith('.field_mask') && type === 'string' && isFieldMaskObject(value)) return

  switch (type) {
    case 'object':
      return checkObject(value, schema, path, problems)
    case 'array':
      if (!Array.isArray(value)) return void problems.push(`${path}: expected an array`)
      return value.forEach((item, i) => check(item, schema.items ?? {}, `${path}[${i}]`, problems))
    case 'string':
      if (typeof value !== 'string') return void problems.push(`${path}: expected a string`)
      if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: not in the enum`)
      return
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${path}: expected an integer`)
      return
    case 'number':
      if (typeof value !== 'number') problems.push(`${path}: expected a number`)
      return
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`)
      return
    default:
      return
  }
}

/** Every key of `value` must exist in the TTS definition, with a compatible JSON type. */
export function shapeProblems(value: unknown, definition: string): string[] {
  const problems: string[] = []
  check(value, { $ref: `#/definitions/${definition}` }, definition, problems)
  return problems
}
