import { describe, expect, it } from 'vitest'

import { isLoopbackHost } from './loopback.js'

const hostnameOf = (url: string): string => new URL(url).hostname

describe('isLoopbackHost', () => {
  it.each([
    'http://localhost:1885/x',
    'http://LOCALHOST/x',
    'http://127.0.0.1/x',
    'http://127.255.0.9/x',
    'http://0x7f.1/x',
    'http://[::1]:8080/x',
    'http://[0:0:0:0:0:0:0:1]/x',
    'http://[::ffff:127.0.0.1]/x',
  ])('accepts %s', (url) => {
    expect(isLoopbackHost(hostnameOf(url))).toBe(true)
  })

  it.each([
    'http://198.51.100.1/x',
    'http://128.0.0.1/x',
    'http://10.0.0.1/x',
    'http://[::2]/x',
    'http://[::ffff:198.51.100.1]/x',
    'http://localhost.example.com/x',
    'http://eu1.cloud.thethings.network/api/v3',
  ])('refuses %s', (url) => {
    expect(isLoopbackHost(hostnameOf(url))).toBe(false)
  })
})
