import { BlockList, isIP } from 'node:net'

const loopbackAddresses = new BlockList()
loopbackAddresses.addSubnet('127.0.0.0', 8, 'ipv4')
loopbackAddresses.addAddress('::1', 'ipv6')

/**
 * True for localhost, 127.0.0.0/8 and ::1 (IPv4-mapped forms included). Takes a WHATWG URL
 * hostname, which is already lower-cased, has numeric IPv4 forms normalised and brackets IPv6.
 */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost') return true

  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname
  const family = isIP(host)
  if (family === 4) return loopbackAddresses.check(host, 'ipv4')
  if (family === 6) return loopbackAddresses.check(host, 'ipv6')
  return false
}
