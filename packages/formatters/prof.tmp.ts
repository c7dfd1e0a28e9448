import { readFileSync } from 'node:fs'
import { normalizeApplicationUp, parseJsonLossless } from './src/index.ts'
const text = readFileSync('/work/main/fixtures/tts-messages/uplink_message.json', 'utf8')
const parsed = parseJsonLossless(text)
for (let i = 0; i < 500000; i++) normalizeApplicationUp(parsed)
