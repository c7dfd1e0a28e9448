import { isApplicationRight } from './rights.js'
import type { ApplicationRight } from './rights.js'

/** Same shape as the field violations the API lists in its 400 answers. */
export interface RightsViolation {
  field: string
  message: string
}

export interface CheckedRights {
  rights: ApplicationRight[]
  violations: RightsViolation[]
}

/** Validates a requested rights list: known application rights only, at least one, no repeats. */
export function checkRights(input: unknown): CheckedRights {
  if (!Array.isArray(input)) {
    return { rights: [], violations: [{ field: 'rights', message: 'must be a list of rights' }] }
  }
  if (input.length === 0) {
    return { rights: [], violations: [{ field: 'rights', message: 'must not be empty' }] }
  }

  const rights = new Set<ApplicationRight>()
  const violations: RightsViolation[] = []

  input.forEach((value: unknown, index) => {
    const field = `rights[${index}]`
    if (typeof value !== 'string') {
      violations.push({ field, message: 'must be a string' })
    } else if (!isApplicationRight(value)) {
      violations.push({ field, message: `\`${value}\` is not an application right` })
    } else {
      rights.add(value)
    }
  })

  return { rights: [...rights], violations }
}
