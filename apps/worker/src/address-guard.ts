import { isIPv4, isIPv6 } from 'node:net'

/** A network in CIDR notation, as address bytes (4 or 16) and a prefix length. */
export interface Cidr {
  bytes: Uint8Array
  prefix: number
}

/**
 * Addresses a self-hosted worker refuses by default: "this network", link-local (where cloud
 * metadata services live), multicast, broadcast and the unspecified address. Private ranges and
 * loopback stay reachable, because self-hosted receivers usually live there.
 */
export const DEFAULT_DENY = [
  '0.0.0.0/8',
  '169.254.0.0/16',
  '224.0.0.0/4',
  '255.255.255.255/32',
  '::/128',
  'fe80::/10',
  'ff00::/8',
]

function ipv6Groups(part: string): number[] {
  if (part === '') return []
  const groups: number[] = []
  const pieces = part.split(':')
  for (const [index, piece] of pieces.entries()) {
    if (piece.includes('.') && index === pieces.length - 1) {
      const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number)
      groups.push((a << 8) | b, (c << 8) | d)
    } else {
      groups.push(Number.parseInt(piece, 16))
    }
  }
  return groups
}

function ipv6Bytes(address: string): Uint8Array {
  const [head = '', tail] = address.split('::')
  const first = ipv6Groups(head)
  const last = tail === undefined ? [] : ipv6Groups(tail)
  const groups = [...first, ...Array<number>(8 - first.length - last.length).fill(0), ...last]
  const bytes = new Uint8Array(16)
  for (const [index, group] of groups.entries()) {
    bytes[index * 2] = group >> 8
    bytes[index * 2 + 1] = group & 0xff
  }
  return bytes
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  for (let index = 0; index < 10; index++) if (bytes[index] !== 0) return false
  return bytes[10] === 0xff && bytes[11] === 0xff
}

/**
 * The bytes of an IP address: 4 for IPv4, 16 for IPv6. An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is its IPv4 address, so it cannot slip past an IPv4 rule.
 */
export function parseAddress(text: string): Uint8Array | undefined {
  const address = text.replace(/%.*$/, '')
  if (isIPv4(address)) return Uint8Array.from(address.split('.').map(Number))
  if (!isIPv6(address)) return undefined
  const bytes = ipv6Bytes(address)
  return isIpv4Mapped(bytes) ? bytes.slice(12) : bytes
}

/** Parses `10.0.0.0/8`, `fe80::/10` or a single address (a network of one). */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/')
  if (extra !== undefined) return undefined
  const bytes = parseAddress(address)
  if (!bytes) return undefined
  const mapped = isIPv6(address) && bytes.length === 4
  if (prefixText === undefined) return { bytes, prefix: bytes.length * 8 }
  if (!/^\d{1,3}$/.test(prefixText)) return undefined
  const prefix = Number(prefixText) - (mapped ? 96 : 0)
  if (prefix < 0 || prefix > bytes.length * 8) return undefined
  return { bytes, prefix }
}

/** Whether `address` (bytes from parseAddress) lies in `network`. */
export function cidrContains(network: Cidr, address: Uint8Array): boolean {
  if (network.bytes.length !== address.length) return false
  const whole = network.prefix >> 3
  for (let index = 0; index < whole; index++) {
    if (network.bytes[index] !== address[index]) return false
  }
  const rest = network.prefix & 7
  if (rest === 0) return true
  const mask = (0xff << (8 - rest)) & 0xff
  return ((network.bytes[whole] ?? 0) & mask) === ((address[whole] ?? 0) & mask)
}

/** Parses a comma-separated CIDR list; throws naming the first entry that is not one. */
export function parseCidrList(text: string): Cidr[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  return entries.map((entry) => {
    const cidr = parseCidr(entry)
    if (!cidr) throw new Error(`\`${entry}\` is not an IP address or CIDR network`)
    return cidr
  })
}

export interface GuardRules {
  /** When non-empty, only these networks may be contacted. */
  allow: readonly Cidr[]
  /** Never contacted, even when allowed. */
  deny: readonly Cidr[]
}

/** Decides which resolved addresses deliveries may connect to. */
export class AddressGuard {
  constructor(private readonly rules: GuardRules) {}

  allows(address: string): boolean {
    const bytes = parseAddress(address)
    if (!bytes) return false
    const { allow, deny } = this.rules
    if (allow.length > 0 && !allow.some((network) => cidrContains(network, bytes))) return false
    return !deny.some((network) => cidrContains(network, bytes))
  }
}
