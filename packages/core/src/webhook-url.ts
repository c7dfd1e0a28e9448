import { invalidArgument } from './errors.js'

/** The variables a base URL or message path may use, as TTS offers them (§3.2). */
export const URL_TEMPLATE_VARIABLES: readonly string[] = Object.freeze([
  'appID',
  'applicationID',
  'appEUI',
  'joinEUI',
  'devID',
  'deviceID',
  'devEUI',
  'devAddr',
])

/** What one message tells about its sender; EUIs and DevAddr are hex, absent when unknown. */
export interface UrlVariables {
  appID: string
  devID: string
  devEUI?: string
  joinEUI?: string
  devAddr?: string
}

const MAX_BASE_URL_LENGTH = 2048
const MAX_PATH_LENGTH = 64
const ALLOWED_SCHEMES = ['http', 'https']

// Values that satisfy every ID and hex rule, so validation sees a URL shaped like a real one.
const SAMPLE_VARIABLES: UrlVariables = {
  appID: 'app1',
  devID: 'dev1',
  devEUI: '0000000000000000',
  joinEUI: '0000000000000000',
  devAddr: '00000000',
}

const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/u
const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):/
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i

/** `undefined` when `value` is a usable webhook base URL, else a short reason. */
export function checkBaseUrl(value: string): string | undefined {
  if (value === '') return 'must not be empty'
  if (value.length > MAX_BASE_URL_LENGTH) {
    return `must be at most ${MAX_BASE_URL_LENGTH} characters`
  }
  if (WHITESPACE_OR_CONTROL.test(value)) return 'must not contain whitespace or control characters'

  const templateProblem = checkTemplate(value)
  if (templateProblem !== undefined) return templateProblem

  const url = expandUriTemplate(value, templateValues(SAMPLE_VARIABLES))
  const scheme = SCHEME_PREFIX.exec(url)?.[1]
  if (scheme === undefined) return 'must be an absolute URL that uses the http or https scheme'
  if (!ALLOWED_SCHEMES.includes(scheme.toLowerCase())) return 'must use the http or https scheme'

  const afterScheme = url.slice(scheme.length + 1)
  if (!afterScheme.startsWith('//')) return 'must have the form scheme://host/path'

  const rest = afterScheme.slice(2)
  if (rest.includes('://')) return 'must be a single URL (found a second `://`)'
  const authority = rest.split(/[/?#]/, 1)[0] ?? ''
  if (hostOf(authority) === '') return 'must have a host'

  const parsed = parseUrl(url)
  if (parsed === undefined) return 'is not a valid URL (syntax)'
  if (parsed.hostname === '') return 'must have a host'

  const path = splitUrl(rest.slice(authority.length)).path
  if (hasDotSegment(path)) return 'must not contain . or .. path segments'
  return undefined
}

/** `undefined` when `value` is a usable message path (relative to the base URL), else a reason. */
export function checkPathTemplate(value: string): string | undefined {
  if (value === '') return undefined
  if ([...value].length > MAX_PATH_LENGTH) return `must be at most ${MAX_PATH_LENGTH} characters`
  if (WHITESPACE_OR_CONTROL.test(value)) return 'must not contain whitespace or control characters'

  const templateProblem = checkTemplate(value)
  if (templateProblem !== undefined) return templateProblem

  // lorahooks keeps every delivery under the base URL, so a path can never name another host.
  const path = expandUriTemplate(value, templateValues(SAMPLE_VARIABLES))
  if (SCHEME_PREFIX.test(path) || path.includes('://')) {
    return 'must be a path relative to the base URL, not an absolute URL'
  }

  if (hasDotSegment(splitUrl(path).path)) return 'must not contain . or .. path segments'
  return undefined
}

/**
 * The URL one message is posted to. Both templates are expanded, then the message path is
 * appended to the base path with exactly one slash between them (never RFC 3986 resolution,
 * which would replace the last base segment). The base query is kept and the path query
 * follows it; fragments are never sent, so they are dropped. An empty path gives the base.
 */
export function buildWebhookUrl(
  baseUrl: string,
  path: string | undefined,
  vars: UrlVariables,
): string {
  const values = templateValues(vars)
  const base = withoutFragment(expandUriTemplate(baseUrl, values))
  const messagePath = withoutFragment(expandUriTemplate(path ?? '', values))
  if (messagePath === '') return base

  const baseParts = splitUrl(base)
  const pathParts = splitUrl(messagePath)
  const joinedPath =
    pathParts.path === ''
      ? baseParts.path
      : `${baseParts.path.replace(/\/+$/, '')}/${pathParts.path.replace(/^\/+/, '')}`

  const queries = [baseParts.query, pathParts.query].filter((query) => query)
  return queries.length === 0 ? joinedPath : `${joinedPath}?${queries.join('&')}`
}

/**
 * Expands an RFC 6570 URI template (levels 1–4). Values are strings, so the explode modifier
 * has no effect; a variable missing from `vars` is undefined and is left out entirely.
 * Throws an invalid-argument error on a malformed template.
 */
export function expandUriTemplate(template: string, vars: Record<string, string>): string {
  const parsed = parseTemplate(template)
  if ('error' in parsed) {
    throw invalidArgument('webhook_url', 'invalid_template', parsed.error, { template })
  }

  return parsed.parts
    .map((part) =>
      'literal' in part ? encode(part.literal, true) : expandExpression(part, vars),
    )
    .join('')
}

/**
 * Our variables for one message. A missing EUI or DevAddr is left undefined rather than
 * empty, so `{?devEUI}` drops the parameter instead of sending `devEUI=`; plain `{devEUI}`
 * gives an empty string either way.
 */
function templateValues(vars: UrlVariables): Record<string, string> {
  const values: Record<string, string> = {
    appID: vars.appID,
    applicationID: vars.appID,
    devID: vars.devID,
    deviceID: vars.devID,
  }

  const hex = { devEUI: vars.devEUI, joinEUI: vars.joinEUI, appEUI: vars.joinEUI }
  for (const [name, value] of Object.entries(hex)) {
    if (value) values[name] = value.toUpperCase()
  }
  if (vars.devAddr) values.devAddr = vars.devAddr.toUpperCase()
  return values
}

function checkTemplate(value: string): string | undefined {
  const parsed = parseTemplate(value)
  if ('error' in parsed) return parsed.error

  for (const part of parsed.parts) {
    if ('literal' in part) continue
    const unknown = part.varSpecs.find((spec) => !URL_TEMPLATE_VARIABLES.includes(spec.name))
    if (unknown !== undefined) {
      const known = URL_TEMPLATE_VARIABLES.join(', ')
      return `unknown template variable \`${unknown.name}\`; known: ${known}`
    }
  }
  return undefined
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

function hostOf(authority: string): string {
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1)
  if (hostAndPort.startsWith('[')) {
    const end = hostAndPort.indexOf(']')
    return end === -1 ? hostAndPort : hostAndPort.slice(0, end + 1)
  }
  return hostAndPort.split(':', 1)[0] ?? ''
}

// `fetch` would collapse these segments, so the URL sent would differ from the one written.
function hasDotSegment(path: string): boolean {
  return path.split('/').some((segment) => DOT_SEGMENT.test(segment))
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}

function splitUrl(url: string): { path: string; query: string | undefined } {
  const noFragment = withoutFragment(url)
  const question = noFragment.indexOf('?')
  if (question === -1) return { path: noFragment, query: undefined }
  return { path: noFragment.slice(0, question), query: noFragment.slice(question + 1) }
}

interface Operator {
  first: string
  separator: string
  named: boolean
  ifEmpty: string
  allowReserved: boolean
}

// RFC 6570 appendix A, one row per operator.
const OPERATORS: Record<string, Operator> = {
  '': { first: '', separator: ',', named: false, ifEmpty: '', allowReserved: false },
  '+': { first: '', separator: ',', named: false, ifEmpty: '', allowReserved: true },
  '#': { first: '#', separator: ',', named: false, ifEmpty: '', allowReserved: true },
  '.': { first: '.', separator: '.', named: false, ifEmpty: '', allowReserved: false },
  '/': { first: '/', separator: '/', named: false, ifEmpty: '', allowReserved: false },
  ';': { first: ';', separator: ';', named: true, ifEmpty: '', allowReserved: false },
  '?': { first: '?', separator: '&', named: true, ifEmpty: '=', allowReserved: false },
  '&': { first: '&', separator: '&', named: true, ifEmpty: '=', allowReserved: false },
}
const RESERVED_OPERATORS = '=,!@|'

interface VarSpec {
  name: string
  prefix: number | undefined
  explode: boolean
}

interface Expression {
  operator: Operator
  varSpecs: VarSpec[]
}

type TemplatePart = { literal: string } | Expression

const VAR_CHAR = '(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})'
const VAR_SPEC = new RegExp(`^(${VAR_CHAR}(?:\\.?${VAR_CHAR})*)(?:(\\*)|:([1-9][0-9]{0,3}))?$`)

function parseTemplate(template: string): { parts: TemplatePart[] } | { error: string } {
  const parts: TemplatePart[] = []
  let position = 0

  while (position < template.length) {
    const open = template.indexOf('{', position)
    const close = template.indexOf('}', position)
    if (close !== -1 && (open === -1 || close < open)) {
      return { error: `malformed template: \`}\` at position ${close} has no matching \`{\`` }
    }
    if (open === -1) {
      parts.push({ literal: template.slice(position) })
      break
    }

    if (open > position) parts.push({ literal: template.slice(position, open) })
    const nextOpen = template.indexOf('{', open + 1)
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      return { error: `malformed template: \`{\` at position ${open} is not closed` }
    }

    const expression = parseExpression(template.slice(open + 1, close))
    if ('error' in expression) return expression
    parts.push(expression)
    position = close + 1
  }
  return { parts }
}

function parseExpression(body: string): Expression | { error: string } {
  const first = body.charAt(0)
  if (first !== '' && RESERVED_OPERATORS.includes(first)) {
    return { error: `malformed template: operator \`${first}\` in \`{${body}}\` is reserved` }
  }

  const operator = OPERATORS[first] ?? OPERATORS['']
  const list = operator === OPERATORS[''] ? body : body.slice(1)
  if (operator === undefined || list === '') {
    return { error: `malformed template: empty expression \`{${body}}\`` }
  }

  const varSpecs: VarSpec[] = []
  for (const item of list.split(',')) {
    const match = VAR_SPEC.exec(item)
    if (match === null || match[1] === undefined) {
      return { error: `malformed template: invalid variable \`${item}\` in \`{${body}}\`` }
    }
    const prefix = match[3] === undefined ? undefined : Number(match[3])
    varSpecs.push({ name: match[1], prefix, explode: match[2] === '*' })
  }
  return { operator, varSpecs }
}

function expandExpression(expression: Expression, vars: Record<string, string>): string {
  const { operator } = expression
  const items: string[] = []

  for (const spec of expression.varSpecs) {
    const value = Object.hasOwn(vars, spec.name) ? vars[spec.name] : undefined
    if (value === undefined) continue

    const kept = spec.prefix === undefined ? value : [...value].slice(0, spec.prefix).join('')
    const encoded = encode(kept, operator.allowReserved)
    if (!operator.named) items.push(encoded)
    else if (value === '') items.push(spec.name + operator.ifEmpty)
    else items.push(`${spec.name}=${encoded}`)
  }

  return items.length === 0 ? '' : operator.first + items.join(operator.separator)
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/
const RESERVED = /^[:/?#[\]@!$&'()*+,;=]$/
const PCT_ENCODED = /^%[0-9A-Fa-f]{2}/
const utf8 = new TextEncoder()

function encode(text: string, allowReserved: boolean): string {
  let out = ''
  let index = 0

  while (index < text.length) {
    if (allowReserved && PCT_ENCODED.test(text.slice(index, index + 3))) {
      out += text.slice(index, index + 3)
      index += 3
      continue
    }

    const char = String.fromCodePoint(text.codePointAt(index) ?? 0)
    if (UNRESERVED.test(char) || (allowReserved && RESERVED.test(char))) out += char
    else out += percentEncode(char)
    index += char.length
  }
  return out
}

function percentEncode(char: string): string {
  return Array.from(utf8.encode(char), (byte) => {
    return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }).join('')
}
