export interface ReceivedRequest {
  seq: number
  method: string
  target: string
  headers: [string, string][]
  bodyText: string
  body: string
}

/** Reads what the mock endpoint process recorded, through its control API. */
export class MockClient {
  constructor(readonly url: string) {}

  async requests(path?: string): Promise<ReceivedRequest[]> {
    const query = path ? `?path=${encodeURIComponent(path)}` : ''
    const response = await fetch(`${this.url}/_mock/requests${query}`)
    return ((await response.json()) as { requests: ReceivedRequest[] }).requests
  }

  async downlinkResults(): Promise<{ url: string; status: number | null; error?: string }[]> {
    const response = await fetch(`${this.url}/_mock/downlinks`)
    return ((await response.json()) as { results: [] }).results
  }

  async setBehavior(path: string, responses: Record<string, unknown>[]): Promise<void> {
    const response = await fetch(`${this.url}/_mock/behaviors`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path, responses }),
    })
    if (!response.ok) throw new Error(`mock refused behavior: ${await response.text()}`)
  }

  async clear(): Promise<void> {
    await fetch(`${this.url}/_mock/requests`, { method: 'DELETE' })
  }
}

export function headerValues(request: ReceivedRequest, name: string): string[] {
  const lower = name.toLowerCase()
  return request.headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value)
}

export async function waitUntil<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
