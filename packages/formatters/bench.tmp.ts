import { readFileSync } from 'node:fs'
import { normalizeApplicationUp, parseJsonLossless, stringifyUp, applyFieldMask, getFormatter } from './src/index.ts'
const text = readFileSync('/work/main/fixtures/tts-messages/uplink_message.json', 'utf8')
const big = text.replace('"timestamp": 2463457000,', '"timestamp": 2463457000, "fine_timestamp": 9007199254740993,')
const json = getFormatter('json')!
for (const [label, t] of [['plain', text], ['bigint', big]] as const) {
  const N = 200000
  let s = performance.now()
  for (let i = 0; i < N; i++) parseJsonLossless(t)
  const parseMs = performance.now() - s
  const parsed = parseJsonLossless(t)
  s = performance.now()
  let up: any
  for (let i = 0; i < N; i++) up = normalizeApplicationUp(parsed).up
  const normMs = performance.now() - s
  s = performance.now()
  for (let i = 0; i < N; i++) json.encodeUp(up)
  const encMs = performance.now() - s
  console.log(label, 'per msg µs: parse', (parseMs*1000/N).toFixed(2), 'normalize', (normMs*1000/N).toFixed(2), 'encode', (encMs*1000/N).toFixed(2))
}
