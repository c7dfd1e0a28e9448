import type { AttemptRecord, ClaimedDelivery } from './types.js'

export type AttemptBase = Pick<
  AttemptRecord,
  'deliveryId' | 'leaseToken' | 'applicationId' | 'webhookId' | 'attempt' | 'startedAt' | 'url'
>

/** The part of an attempt's record that names the claimed delivery and where it went. */
export function attemptBase(delivery: ClaimedDelivery, url: string, startedAt: number): AttemptBase {
  return {
    deliveryId: delivery.id,
    leaseToken: delivery.leaseToken,
    applicationId: delivery.applicationId,
    webhookId: delivery.webhookId,
    attempt: delivery.attempt,
    startedAt,
    url,
  }
}
