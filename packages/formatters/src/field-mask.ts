import { isMessageType } from '@lorahooks/core'
import type { CanonicalUp } from './normalize/normalize-application-up.js'
import { isPlainObject, setOwn, type JsonObject } from './normalize/json-value.js'

interface MaskNode {
  /** The whole value at this node is kept. */
  all: boolean
  children: Map<string, MaskNode>
}

function newNode(): MaskNode {
  return { all: false, children: new Map() }
}

function addPath(root: MaskNode, segments: readonly string[]): void {
  let node = root
  for (const segment of segments) {
    if (node.all) return
    let child = node.children.get(segment)
    if (!child) {
      child = newNode()
      node.children.set(segment, child)
    }
    node = child
  }
  node.all = true
  node.children.clear()
}

/**
 * The mask of one message type: top-level paths as they are, `up` as the whole message, and
 * `up.<type>…` only for this message's own type (the oneof is flattened in TTS JSON).
 */
function buildMask(paths: readonly string[], messageType: string | undefined): MaskNode {
  const root = newNode()
  for (const path of paths) {
    const [first, ...rest] = path.split('.')
    // A bare message type is not an ApplicationUp path: types are only reachable as `up.<type>`.
    if (first === undefined || first === '' || isMessageType(first)) continue
    if (first !== 'up') {
      addPath(root, [first, ...rest])
      continue
    }
    if (messageType === undefined) continue
    if (rest.length === 0 || rest[0] === messageType) addPath(root, [messageType, ...rest.slice(1)])
  }
  return root
}

function pick(value: unknown, node: MaskNode): unknown {
  if (node.all) return value
  // Sub-paths of a list apply to each item; a scalar under a sub-path is kept whole.
  if (Array.isArray(value)) return value.map((item) => pick(item, node))
  if (!isPlainObject(value)) return value

  const out: JsonObject = {}
  for (const key of Object.keys(value)) {
    const child = node.children.get(key)
    if (child) setOwn(out, key, pick(value[key], child))
  }
  return out
}

const maskCache = new WeakMap<readonly string[], Map<string | undefined, MaskNode>>()

function cachedMask(paths: readonly string[], messageType: string | undefined): MaskNode {
  let byType = maskCache.get(paths)
  if (!byType) {
    byType = new Map()
    maskCache.set(paths, byType)
  }
  let mask = byType.get(messageType)
  if (!mask) {
    mask = buildMask(paths, messageType)
    byType.set(messageType, mask)
  }
  return mask
}

/**
 * Filters a canonical ApplicationUp with a webhook's field mask, as TTS does for outgoing
 * bodies. No paths means no filtering. The result shares unfiltered values with `up`.
 */
export function applyFieldMask(up: CanonicalUp, paths: readonly string[]): CanonicalUp {
  if (paths.length === 0) return up
  const messageType = Object.keys(up).find(isMessageType)
  return pick(up, cachedMask(paths, messageType)) as CanonicalUp
}
