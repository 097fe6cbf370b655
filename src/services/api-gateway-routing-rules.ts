// Routing rules of custom domain names (apigatewayv2's CreateRoutingRule…, on a domain created through either API):
// the neutral shape both domain stores keep, and how a request to the domain is matched against them — rules in
// priority order (lowest first), the first whose conditions all hold wins, as AWS's REST API developer guide describes.

/** The domain's RoutingMode in apigatewayv2's spelling (apigateway says BASE_PATH_MAPPING for API_MAPPING). */
export type RoutingMode = 'API_MAPPING_ONLY' | 'ROUTING_RULE_ONLY' | 'ROUTING_RULE_THEN_API_MAPPING'

/** A header condition: any of its name/glob pairs matching makes it hold. */
export interface HeaderMatch {
  header: string
  valueGlob: string
}

/** One condition: exactly one of `headers` (MatchHeaders.AnyOf) or `basePaths` (MatchBasePaths.AnyOf). */
export interface RuleCondition {
  headers?: HeaderMatch[]
  basePaths?: string[]
}

export interface RoutingRuleData {
  id: string
  priority: number
  conditions: RuleCondition[]
  /** InvokeApi, the only action AWS has: a REST API's stage. */
  action: { apiId: string; stage: string; stripBasePath: boolean }
}

/** The rule a request selects and the path the target API sees (the matched base path stripped if the rule says so). */
export interface RuleMatch {
  rule: RoutingRuleData
  /** Still percent-encoded, starting with `/`. */
  path: string
}

/**
 * A header value glob against the whole value, case-sensitive: AWS takes `*suffix`, `prefix*`, `*infix*`, or no wildcard
 * (a literal). The header name is matched case-insensitively (the gateway lower-cases request header names).
 */
export function globMatches(glob: string, value: string): boolean {
  const starts = glob.startsWith('*')
  const ends = glob.length > 1 && glob.endsWith('*')
  const core = glob.slice(starts ? 1 : 0, ends ? -1 : undefined)
  if (starts && ends) return value.includes(core)
  if (starts) return value.endsWith(core)
  if (ends) return value.startsWith(core)
  return value === glob
}

/** The number of leading segments a base path condition matched; undefined: none of its paths matches. */
function basePathLength(paths: string[], segments: string[]): number | undefined {
  let best: number | undefined
  for (const path of paths) {
    const parts = path.split('/')
    if (parts.length > segments.length) continue
    if (parts.every((p, i) => safeDecode(segments[i]!) === p) && (best === undefined || parts.length > best)) best = parts.length
  }
  return best
}

/**
 * The first rule (`rules` kept sorted by priority) all of whose conditions hold for the request; a rule without conditions matches every
 * request (a catch-all). `headers`: lower-cased names, repeated headers joined with ", " as the gateway reads them.
 */
export function matchRoutingRule(rules: readonly RoutingRuleData[], headers: Readonly<Record<string, string>>, rawPath: string): RuleMatch | undefined {
  if (rules.length === 0) return undefined
  const segments = rawPath.split('?')[0]!.split('/').slice(1)
  for (const rule of rules) {
    let stripped = 0
    const holds = rule.conditions.every((condition) => {
      if (condition.basePaths !== undefined) {
        const length = basePathLength(condition.basePaths, segments)
        if (length !== undefined) stripped = length
        return length !== undefined
      }
      return (condition.headers ?? []).some((h) => {
        const value = headers[h.header.toLowerCase()]
        return value !== undefined && globMatches(h.valueGlob, value)
      })
    })
    if (!holds) continue
    const rest = rule.action.stripBasePath ? segments.slice(stripped) : segments
    return { rule, path: `/${rest.join('/')}` }
  }
  return undefined
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
