/**
 * Whether a key with this `expires_at` is no longer usable at `now`. No expiry means never;
 * an unreadable timestamp counts as expired, since failing closed is the safe side for auth.
 */
export function isExpired(expiresAt: string | null | undefined, now: Date = new Date()): boolean {
  if (expiresAt === null || expiresAt === undefined) return false

  const expiry = Date.parse(expiresAt)
  if (Number.isNaN(expiry)) return true

  return expiry <= now.getTime()
}
