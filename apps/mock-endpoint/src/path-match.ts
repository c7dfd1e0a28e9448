/** The path part of a request target: everything before '?' (or '#'). */
export function pathOf(target: string): string {
  const query = target.indexOf('?')
  const fragment = target.indexOf('#')
  const end = query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment)
  return end === -1 ? target : target.slice(0, end)
}

export function isPrefixPattern(pattern: string): boolean {
  return pattern.endsWith('*')
}

/** A pattern is an exact path, or a prefix when it ends with '*'. */
export function matchesPath(pattern: string, path: string): boolean {
  if (!isPrefixPattern(pattern)) return pattern === path
  return path.startsWith(pattern.slice(0, -1))
}
