/** What stands in for a password or a query value a caller may not read. */
export const REDACTED = '***'

const USERINFO_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#@]*@/i

/**
 * The URL (or path) with its userinfo password and every query value replaced by `***`. Receivers
 * authenticate with both, so callers who may read webhooks but not manage them do not see them.
 * Works on the text: URL templates (`{devID}`) would not survive a parse and re-serialization.
 */
export function redactUrl(url: string): string {
  const withoutPassword = url.replace(USERINFO_PASSWORD, `$1${REDACTED}@`)
  const query = withoutPassword.indexOf('?')
  if (query === -1) return withoutPassword
  const hash = withoutPassword.indexOf('#', query)
  const end = hash === -1 ? withoutPassword.length : hash
  const redacted = withoutPassword.slice(query, end).replace(/=[^&]*/g, `=${REDACTED}`)
  return withoutPassword.slice(0, query) + redacted + withoutPassword.slice(end)
}
