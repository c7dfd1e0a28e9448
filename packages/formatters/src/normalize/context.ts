import type { FieldViolation } from '@lorahooks/core'

/** A field path like `uplink_message.rx_metadata[0].timestamp`. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`
  return parent === '' ? key : `${parent}.${key}`
}

/** Collects the violations of one normalization run. */
export class NormalizeContext {
  readonly violations: FieldViolation[] = []

  report(field: string, message: string): void {
    this.violations.push({ field, message })
  }
}
