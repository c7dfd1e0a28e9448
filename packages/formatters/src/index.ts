export { FORMAT_NAMES } from './format-names.js'
export type { Formatter } from './formatter.js'
export { getFormatter, SUPPORTED_FORMATS } from './registry.js'
export { checkJsonDepth, MAX_JSON_DEPTH, parseJson, parseJsonLossless } from './json-lossless.js'
export { JsonInteger, stringifyJson } from './json-integer.js'
export {
  normalizeApplicationUp,
  type CanonicalUp,
  type NormalizedUp,
} from './normalize/normalize-application-up.js'
export { applyFieldMask } from './field-mask.js'
export { unknownUpMaskPaths } from './up-mask-paths.js'
export { stringifyUp } from './stringify-up.js'
