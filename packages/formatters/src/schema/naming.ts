/** The lowerCamelCase JSON name protojson derives from a snake_case proto field name. */
export function lowerCamelName(snakeName: string): string {
  let out = ''
  let upperNext = false
  for (const char of snakeName) {
    if (char === '_') {
      upperNext = true
      continue
    }
    out += upperNext ? char.toUpperCase() : char
    upperNext = false
  }
  return out
}
