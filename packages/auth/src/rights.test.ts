import { describe, expect, it } from 'vitest'

import {
  APPLICATION_RIGHTS,
  describeRight,
  expandRights,
  isApplicationRight,
  missingRights,
} from './rights.js'

describe('APPLICATION_RIGHTS', () => {
  it('lists the 15 application rights from INFO to ALL, without RIGHT_ALL', () => {
    expect(APPLICATION_RIGHTS).toHaveLength(15)
    expect(APPLICATION_RIGHTS[0]).toBe('RIGHT_APPLICATION_INFO')
    expect(APPLICATION_RIGHTS[4]).toBe('RIGHT_APPLICATION_SETTINGS_PACKAGES')
    expect(APPLICATION_RIGHTS.at(-1)).toBe('RIGHT_APPLICATION_ALL')
    expect(APPLICATION_RIGHTS).not.toContain('RIGHT_ALL')
    expect(Object.isFrozen(APPLICATION_RIGHTS)).toBe(true)
  })
})

describe('isApplicationRight', () => {
  it('knows application rights only', () => {
    expect(isApplicationRight('RIGHT_APPLICATION_TRAFFIC_READ')).toBe(true)
    expect(isApplicationRight('RIGHT_ALL')).toBe(false)
    expect(isApplicationRight('RIGHT_GATEWAY_INFO')).toBe(false)
    expect(isApplicationRight('right_application_info')).toBe(false)
  })
})

describe('expandRights', () => {
  it('turns RIGHT_APPLICATION_ALL and RIGHT_ALL into every application right', () => {
    expect([...expandRights(['RIGHT_APPLICATION_ALL'])]).toEqual(APPLICATION_RIGHTS)
    expect([...expandRights(['RIGHT_ALL'])]).toEqual(APPLICATION_RIGHTS)
  })

  it('gives LINK its implied rights', () => {
    expect([...expandRights(['RIGHT_APPLICATION_LINK'])]).toEqual([
      'RIGHT_APPLICATION_INFO',
      'RIGHT_APPLICATION_TRAFFIC_READ',
      'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
      'RIGHT_APPLICATION_LINK',
    ])
  })

  it('keeps plain rights as they are and drops unknown names', () => {
    const expanded = expandRights(['RIGHT_APPLICATION_TRAFFIC_READ', 'RIGHT_GATEWAY_ALL', 'x'])

    expect([...expanded]).toEqual(['RIGHT_APPLICATION_TRAFFIC_READ'])
  })

  it('does not derive LINK or ALL from their parts', () => {
    const expanded = expandRights([
      'RIGHT_APPLICATION_INFO',
      'RIGHT_APPLICATION_TRAFFIC_READ',
      'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
    ])

    expect(expanded.has('RIGHT_APPLICATION_LINK')).toBe(false)
    expect(expanded.has('RIGHT_APPLICATION_ALL')).toBe(false)
  })
})

describe('missingRights', () => {
  const webhookWrite = [
    'RIGHT_APPLICATION_SETTINGS_BASIC',
    'RIGHT_APPLICATION_TRAFFIC_READ',
    'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
  ] as const

  it('is empty when the grant covers everything', () => {
    expect(missingRights(['RIGHT_APPLICATION_ALL'], webhookWrite)).toEqual([])
    expect(missingRights(['RIGHT_ALL'], webhookWrite)).toEqual([])
    expect(missingRights([...webhookWrite], webhookWrite)).toEqual([])
  })

  it('lists what LINK does not cover', () => {
    expect(missingRights(['RIGHT_APPLICATION_LINK'], webhookWrite)).toEqual([
      'RIGHT_APPLICATION_SETTINGS_BASIC',
    ])
  })

  it('lists each missing right once, in the order asked for', () => {
    const required = [
      'RIGHT_APPLICATION_TRAFFIC_UP_WRITE',
      'RIGHT_APPLICATION_INFO',
      'RIGHT_APPLICATION_TRAFFIC_UP_WRITE',
    ] as const

    expect(missingRights([], required)).toEqual([
      'RIGHT_APPLICATION_TRAFFIC_UP_WRITE',
      'RIGHT_APPLICATION_INFO',
    ])
  })
})

describe('describeRight', () => {
  it('gives every right its own human label', () => {
    expect(describeRight('RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE')).toBe(
      'Write downlink application traffic',
    )

    const labels = APPLICATION_RIGHTS.map(describeRight)
    expect(new Set(labels).size).toBe(APPLICATION_RIGHTS.length)
    for (const label of labels) expect(label).not.toMatch(/^RIGHT_/)
  })
})
