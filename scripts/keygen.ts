// Prints a new API key in TTS format, e.g. for LORAHOOKS_ADMIN_API_KEY.
import { generateApiKey } from '@lorahooks/auth'

process.stdout.write(`${generateApiKey().key}\n`)
