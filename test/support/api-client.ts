/** A small client for the lorahooks API, as a TTS user's script would call it. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    key: string = this.apiKey,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T }
  }

  /** Like `call`, but throws unless the answer is 2xx. */
  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const result = await this.call<T>(method, path, body)
    if (result.status < 200 || result.status >= 300) {
      throw new Error(`${method} ${path} answered ${result.status}: ${JSON.stringify(result.body)}`)
    }
    return result.body
  }
}
