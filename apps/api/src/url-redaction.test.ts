import { describe, expect, it } from 'vitest'
import { redactUrl } from './url-redaction.js'

describe('redactUrl', () => {
  it('replaces a userinfo password and every query value', () => {
    expect(redactUrl('https://user:s3cret@h.example/x?token=abc&kind=up#frag')).toBe(
      'https://user:***@h.example/x?token=***&kind=***#frag',
    )
    expect(redactUrl('/up?key=k1')).toBe('/up?key=***')
  })

  it('leaves URLs without credentials, user names alone and templates as they are', () => {
    expect(redactUrl('http://127.0.0.1:9/h/{devID}')).toBe('http://127.0.0.1:9/h/{devID}')
    expect(redactUrl('http://user@127.0.0.1/h')).toBe('http://user@127.0.0.1/h')
    expect(redactUrl('http://127.0.0.1/h?flag')).toBe('http://127.0.0.1/h?flag')
  })
})
