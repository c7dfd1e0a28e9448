import { describe, expect, it } from 'vitest'
import {
  AddressGuard,
  cidrContains,
  DEFAULT_DENY,
  parseAddress,
  parseCidr,
  parseCidrList,
} from './address-guard.js'

function inNetwork(network: string, address: string): boolean {
  const cidr = parseCidr(network)
  const bytes = parseAddress(address)
  if (!cidr || !bytes) throw new Error(`bad test input ${network} ${address}`)
  return cidrContains(cidr, bytes)
}

describe('CIDR matching', () => {
  it.each([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['169.254.0.0/16', '169.254.169.254', true],
    ['192.168.1.0/25', '192.168.1.127', true],
    ['192.168.1.0/25', '192.168.1.128', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['203.0.113.9', '203.0.113.9', true],
    ['203.0.113.9', '203.0.113.10', false],
    ['fe80::/10', 'fe80::1', true],
    ['fe80::/10', 'febf:ffff::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['2001:db8::/32', '2001:db8:0:0:0:0:0:1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::/0', '::1', true],
    ['::1/128', '::1', true],
  ])('%s contains %s: %s', (network, address, expected) => {
    expect(inNetwork(network, address)).toBe(expected)
  })

  it('treats IPv4-mapped IPv6 addresses as the IPv4 address they carry', () => {
    expect(inNetwork('169.254.0.0/16', '::ffff:169.254.169.254')).toBe(true)
    expect(inNetwork('127.0.0.0/8', '::ffff:7f00:1')).toBe(true)
    expect(inNetwork('::ffff:10.0.0.0/104', '10.1.2.3')).toBe(true)
  })

  it('never matches across address families', () => {
    expect(inNetwork('0.0.0.0/0', '::2')).toBe(false)
    expect(inNetwork('::/0', '127.0.0.1')).toBe(false)
  })

  it('ignores an IPv6 zone id', () => {
    expect(inNetwork('fe80::/10', 'fe80::1%eth0')).toBe(true)
  })

  const malformed = ['10.0.0.0/33', 'fe80::/129', '10.0.0/8', 'example.com', '10.0.0.0/8/1', '']
  it.each([...malformed, '1.2.3.4/-1'])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeUndefined()
  })

  it('parses a list and names the entry that is not a network', () => {
    expect(parseCidrList(' 10.0.0.0/8, fe80::/10 ,')).toHaveLength(2)
    expect(parseCidrList('')).toEqual([])
    expect(() => parseCidrList('10.0.0.0/8,nope')).toThrow('`nope` is not an IP address')
  })
})

describe('AddressGuard', () => {
  const defaults = new AddressGuard({ allow: [], deny: parseCidrList(DEFAULT_DENY.join(',')) })

  it('by default refuses metadata, link-local, multicast and unspecified addresses only', () => {
    for (const address of ['169.254.169.254', '0.0.0.0', '224.0.0.1', 'fe80::1', 'ff02::1', '::']) {
      expect(defaults.allows(address), address).toBe(false)
    }
    for (const address of ['127.0.0.1', '::1', '10.0.0.5', '192.168.1.10', '203.0.113.9']) {
      expect(defaults.allows(address), address).toBe(true)
    }
  })

  it('restricts to the allow list when one is set, and the deny list still wins', () => {
    const guard = new AddressGuard({
      allow: parseCidrList('10.0.0.0/8'),
      deny: parseCidrList('10.0.0.66/32'),
    })
    expect(guard.allows('10.1.2.3')).toBe(true)
    expect(guard.allows('10.0.0.66')).toBe(false)
    expect(guard.allows('192.168.1.1')).toBe(false)
  })

  it('refuses what is not an IP address', () => {
    expect(defaults.allows('localhost')).toBe(false)
  })
})
