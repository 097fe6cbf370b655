// Route selection for HTTP APIs: the most specific `METHOD /path` route wins — per segment a
// literal over `{param}` over greedy `{proxy+}`, then the exact method over ANY — and `$default`
// catches whatever no route matches.
import type { RouteData } from '../data.ts'

export interface SelectedRoute {
  route: RouteData
  /** `{name}` → the decoded segment; `{proxy+}` → the rest of the path (`a/b/c`). */
  pathParameters: Record<string, string>
}

/** Per segment: 3 literal, 2 `{param}`, 1 greedy; the exact method adds a final tie-breaker. */
type Score = number[]

export function selectRoute(routes: Record<string, RouteData>, method: string, segments: string[]): SelectedRoute | undefined {
  let best: { selected: SelectedRoute; score: Score } | undefined
  let fallback: RouteData | undefined
  for (const route of Object.values(routes)) {
    if (route.routeKey === '$default') {
      fallback = route
      continue
    }
    const space = route.routeKey.indexOf(' ')
    const routeMethod = route.routeKey.slice(0, space)
    if (routeMethod !== 'ANY' && routeMethod !== method) continue
    const matched = match(route.routeKey.slice(space + 1), segments)
    if (matched === undefined) continue
    const score = [...matched.score, routeMethod === 'ANY' ? 0 : 1]
    if (best === undefined || compare(score, best.score) > 0) best = { selected: { route, pathParameters: matched.parameters }, score }
  }
  if (best !== undefined) return best.selected
  return fallback === undefined ? undefined : { route: fallback, pathParameters: {} }
}

function match(path: string, segments: string[]): { score: Score; parameters: Record<string, string> } | undefined {
  const parts = path === '/' ? [] : path.slice(1).split('/')
  const parameters: Record<string, string> = {}
  const score: Score = []
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    const greedy = /^\{(\w+)\+\}$/.exec(part)
    if (greedy !== null) {
      // `{proxy+}` takes one or more remaining segments.
      if (i >= segments.length) return undefined
      parameters[greedy[1]!] = segments.slice(i).join('/')
      score.push(1)
      return { score, parameters }
    }
    const segment = segments[i]
    if (segment === undefined) return undefined
    const variable = /^\{(\w+)\}$/.exec(part)
    if (variable !== null) {
      parameters[variable[1]!] = segment
      score.push(2)
    } else if (part === segment) {
      score.push(3)
    } else {
      return undefined
    }
  }
  return parts.length === segments.length ? { score, parameters } : undefined
}

function compare(a: Score, b: Score): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
