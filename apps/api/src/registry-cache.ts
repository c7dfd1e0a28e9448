import type { ApiKeyRow, DeviceRow } from '@lorahooks/db'

/**
 * How long a looked-up API key or device is reused without asking the database. Changes made
 * through this process take effect at once (the routes invalidate); changes made through another
 * API process sharing the database take effect here within this time.
 */
export const REGISTRY_CACHE_TTL_MS = 2_000
const MAX_ENTRIES = 10_000

interface Entry<V> {
  value: V
  expiresAt: number
}

/** A small map whose entries expire; full, it drops the oldest insertion. */
class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>()

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt > now) return entry.value
    this.entries.delete(key)
    return undefined
  }

  set(key: string, value: V, now: number): void {
    this.entries.delete(key)
    this.entries.set(key, { value, expiresAt: now + this.ttlMs })
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
  }

  delete(key: string): void {
    this.entries.delete(key)
  }

  clear(): void {
    this.entries.clear()
  }
}

/** Found rows only: a row created a moment later must be seen at once. */
type Load<V> = () => Promise<V | undefined>

/**
 * The API key and device rows that every ingest request needs, cached per process. Only found
 * rows are kept. Each invalidation bumps a generation, so a lookup that was already running
 * when a row was deleted cannot put the old row back.
 */
export class RegistryCache {
  private readonly keys: TtlCache<ApiKeyRow>
  private readonly devices: TtlCache<DeviceRow>
  private generation = 0

  constructor(
    ttlMs = REGISTRY_CACHE_TTL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.keys = new TtlCache(ttlMs, MAX_ENTRIES)
    this.devices = new TtlCache(ttlMs, MAX_ENTRIES)
  }

  apiKey(id: string, load: Load<ApiKeyRow>): Promise<ApiKeyRow | undefined> {
    return this.through(this.keys, id, load)
  }

  device(applicationId: string, deviceId: string, load: Load<DeviceRow>) {
    return this.through(this.devices, deviceKey(applicationId, deviceId), load)
  }

  /** A cached device or undefined, without loading it. */
  cachedDevice(applicationId: string, deviceId: string): DeviceRow | undefined {
    return this.devices.get(deviceKey(applicationId, deviceId), this.now())
  }

  /** Keeps rows loaded in bulk, unless something was invalidated since `generation`. */
  rememberDevices(rows: Iterable<DeviceRow>, generation: number): void {
    if (generation !== this.generation) return
    const now = this.now()
    for (const row of rows) this.devices.set(deviceKey(row.applicationId, row.deviceId), row, now)
  }

  /** Read it before a bulk load and hand it to rememberDevices. */
  get version(): number {
    return this.generation
  }

  /** After an API key was updated or deleted. */
  forgetApiKey(id: string): void {
    this.generation++
    this.keys.delete(id)
  }

  /** After a device was created or deleted. */
  forgetDevice(applicationId: string, deviceId: string): void {
    this.generation++
    this.devices.delete(deviceKey(applicationId, deviceId))
  }

  /** After an application was deleted with its keys and devices; rare, so everything goes. */
  forgetApplication(): void {
    this.generation++
    this.keys.clear()
    this.devices.clear()
  }

  private async through<V>(cache: TtlCache<V>, key: string, load: Load<V>) {
    const cached = cache.get(key, this.now())
    if (cached !== undefined) return cached
    const generation = this.generation
    const value = await load()
    if (value !== undefined && generation === this.generation) cache.set(key, value, this.now())
    return value
  }
}

function deviceKey(applicationId: string, deviceId: string): string {
  return `${applicationId}/${deviceId}`
}
