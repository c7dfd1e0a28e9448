const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/

/** Milliseconds of a duration like `3600s`, `1.5h`, `90m` or `500ms`; undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim())
  if (!match) return undefined
  const [, amount = '', unit = ''] = match
  return Math.round(Number(amount) * (UNIT_MS[unit] ?? 1))
}

/** A duration as protojson writes google.protobuf.Duration: seconds, `60s` or `1.500s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  const millis = ms % 1000
  return millis === 0 ? `${seconds}s` : `${seconds}.${String(millis).padStart(3, '0')}s`
}
