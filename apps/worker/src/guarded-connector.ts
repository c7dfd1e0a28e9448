import dns, { type LookupAddress } from 'node:dns'
import { isIP, type LookupFunction } from 'node:net'
import { buildConnector } from 'undici'
import type { AddressGuard } from './address-guard.js'

export const ADDRESS_DENIED = 'LORAHOOKS_ADDRESS_DENIED'

export class AddressDeniedError extends Error {
  readonly code = ADDRESS_DENIED

  constructor(readonly address: string) {
    super(`address denied: ${address}`)
    this.name = 'AddressDeniedError'
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

/** Resolves like dns.lookup, keeping only the addresses the guard allows. */
function guardedLookup(guard: AddressGuard): LookupFunction {
  const lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, [])
      const allowed = addresses.filter((entry) => guard.allows(entry.address))
      const [first] = allowed
      if (!first) return callback(new AddressDeniedError(addresses[0]?.address ?? hostname), [])
      if (options.all) return callback(null, allowed)
      callback(null, first.address, first.family)
    })
  }
  return lookup as LookupFunction
}

/**
 * An undici connector that checks every address it connects to, after DNS resolution, so that
 * neither a hostname resolving to a denied address nor a redirect can reach it. Node does not
 * call `lookup` for IP literals, so those are checked before connecting.
 */
export function guardedConnector(guard: AddressGuard, timeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: timeoutMs, lookup: guardedLookup(guard) })
  return (options, callback) => {
    if (isIP(options.hostname) !== 0 && !guard.allows(options.hostname)) {
      callback(new AddressDeniedError(options.hostname), null)
      return
    }
    connect(options, callback)
  }
}
