import { describe, expect, it } from 'vitest'
import { FORMAT_NAMES } from './format-names.js'
import { getFormatter, SUPPORTED_FORMATS } from './registry.js'

describe('getFormatter', () => {
  it('knows the json format', () => {
    const formatter = getFormatter('json')
    expect(formatter?.name).toBe('json')
    expect(formatter?.contentType).toBe('application/json')
  })

  it('has no formatter yet for protobuf, nor for unknown names', () => {
    expect(getFormatter('protobuf')).toBeUndefined()
    expect(getFormatter('xml')).toBeUndefined()
    expect(getFormatter('constructor')).toBeUndefined()
  })

  it('supports exactly the formats it has a formatter for', () => {
    expect(SUPPORTED_FORMATS).toEqual(['json'])
    for (const name of SUPPORTED_FORMATS) expect(getFormatter(name)?.name).toBe(name)
  })

  it('names the formats as TTS GetFormats does', () => {
    expect(FORMAT_NAMES).toEqual({ json: 'JSON', protobuf: 'Protocol Buffers' })
  })
})
