import { describe, expect, it } from 'vitest'

import { checkRights } from './check-rights.js'

describe('checkRights', () => {
  it('accepts known application rights and removes duplicates', () => {
    const checked = checkRights([
      'RIGHT_APPLICATION_TRAFFIC_READ',
      'RIGHT_APPLICATION_INFO',
      'RIGHT_APPLICATION_TRAFFIC_READ',
    ])

    expect(checked).toEqual({
      rights: ['RIGHT_APPLICATION_TRAFFIC_READ', 'RIGHT_APPLICATION_INFO'],
      violations: [],
    })
  })

  it('names each bad entry by its index', () => {
    const checked = checkRights([
      'RIGHT_APPLICATION_INFO',
      'RIGHT_GATEWAY_INFO',
      42,
      'RIGHT_ALL',
    ])

    expect(checked.rights).toEqual(['RIGHT_APPLICATION_INFO'])
    expect(checked.violations.map((violation) => violation.field)).toEqual([
      'rights[1]',
      'rights[2]',
      'rights[3]',
    ])
    expect(checked.violations[0]?.message).toContain('RIGHT_GATEWAY_INFO')
    expect(checked.violations[1]?.message).toBe('must be a string')
  })

  it('rejects an empty list', () => {
    expect(checkRights([])).toEqual({
      rights: [],
      violations: [{ field: 'rights', message: 'must not be empty' }],
    })
  })

  it('rejects anything that is not a list', () => {
    for (const input of [undefined, null, 'RIGHT_APPLICATION_INFO', { 0: 'x' }]) {
      const checked = checkRights(input)
      expect(checked.rights).toEqual([])
      expect(checked.violations).toEqual([{ field: 'rights', message: 'must be a list of rights' }])
    }
  })
})
