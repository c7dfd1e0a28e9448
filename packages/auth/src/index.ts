export { API_KEY_PREFIX, generateApiKey, parseApiKey } from './api-key.js'
export type { GeneratedApiKey, ParsedApiKey } from './api-key.js'
export { HASH_ITERATIONS, hashSecret, verifySecret } from './secret-hash.js'
export { VerifiedKeyCache } from './verified-key-cache.js'
export type { VerifiedKeyCacheOptions } from './verified-key-cache.js'
export {
  APPLICATION_RIGHTS,
  RIGHT_ALL,
  describeRight,
  expandRights,
  isApplicationRight,
  missingRights,
} from './rights.js'
export type { ApplicationRight } from './rights.js'
export { checkRights } from './check-rights.js'
export type { CheckedRights, RightsViolation } from './check-rights.js'
export { isExpired } from './expiry.js'
