import type { ApplicationRight } from '@lorahooks/auth'

/** Reading webhooks, their health and their deliveries. */
export const WEBHOOK_READ: ApplicationRight[] = ['RIGHT_APPLICATION_TRAFFIC_READ']

/** Managing webhooks: Set, delete, signing secrets and re-sending deliveries (as TTS's Set). */
export const WEBHOOK_WRITE: ApplicationRight[] = [
  'RIGHT_APPLICATION_SETTINGS_BASIC',
  'RIGHT_APPLICATION_TRAFFIC_READ',
  'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
]
