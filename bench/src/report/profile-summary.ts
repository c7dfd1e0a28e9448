import fs from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

export interface HotSpot {
  name: string
  location: string
  selfMs: number
  selfShare: number
  totalMs: number
}

function locationOf(node: ProfileNode): string {
  const { url, lineNumber } = node.callFrame
  if (!url) return ''
  const short = url.replace(/^file:\/\//, '').replace(/^.*node_modules\/\.pnpm\/[^/]+\//, '')
  return `${short.replace(/^.*\/work\/main\//, '')}:${lineNumber + 1}`
}

/** Self and inclusive time per function of a V8 .cpuprofile, busiest first. */
export function hotSpots(file: string, limit = 15): { spots: HotSpot[]; busyMs: number } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id)
  }

  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
  })

  const self = new Map<string, number>()
  const total = new Map<string, number>()
  // An anonymous function is named after its nearest named caller, which is what tells them apart.
  const nameOf = (node: ProfileNode): string => {
    if (node.callFrame.functionName) return node.callFrame.functionName
    for (let at = parent.get(node.id); at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)?.callFrame.functionName
      if (name) return `(anonymous in ${name})`
    }
    return '(anonymous)'
  }
  const keyOf = (node: ProfileNode) => `${nameOf(node)}\t${locationOf(node)}`
  let busyUs = 0
  for (const [id, us] of selfUs) {
    const node = byId.get(id) as ProfileNode
    if (node.callFrame.functionName === '(idle)') continue
    busyUs += us
    self.set(keyOf(node), (self.get(keyOf(node)) ?? 0) + us)
    // Inclusive time: count each function once per stack, even when it recurses.
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = keyOf(byId.get(at) as ProfileNode)
      if (seen.has(key)) continue
      seen.add(key)
      total.set(key, (total.get(key) ?? 0) + us)
    }
  }

  const spots = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => {
      const [name, location] = key.split('\t') as [string, string]
      return {
        name,
        location,
        selfMs: us / 1000,
        selfShare: busyUs === 0 ? 0 : us / busyUs,
        totalMs: (total.get(key) ?? 0) / 1000,
      }
    })
  return { spots, busyMs: busyUs / 1000 }
}
