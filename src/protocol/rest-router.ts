// Finds a REST operation from method + path + query, matching the model's `http.requestUri`
// templates: `/2015-03-31/functions/{FunctionName}/invocations`, S3's `/{Bucket}/{Key+}?uploads`.
import { protocolErrors } from './errors.ts'
import type { HttpRequest } from './http.ts'
import type { OperationModel, ServiceModel } from './model.ts'

export interface RouteMatch {
  operation: OperationModel
  /** URI label values, still percent-encoded (the bindings decode them per label). */
  labels: Record<string, string>
}

interface Route {
  operation: OperationModel
  pattern: RegExp
  labels: string[]
  /** Query keys the template names (`?uploads`, `?list-type=2`): present, and equal when valued. */
  queryLiterals: Array<[key: string, value: string | undefined]>
  /** Specificity: literal path characters, then query literals, then fewer greedy labels. */
  literalChars: number
  greedyLabels: number
  /** Required query/header members: a route whose requirements the request meets wins a tie. */
  requiredParts: Array<{ location: 'querystring' | 'header'; name: string }>
  order: number
}

export class RestRouter {
  private readonly routes: Route[]
  private readonly preferred: readonly string[]

  constructor(model: ServiceModel) {
    this.routes = model.operations.map((operation, order) => compileRoute(model, operation, order))
    this.preferred = model.quirks.preferredOperations ?? []
  }

  /** The operation for a request; UnknownOperationException (404) or MethodNotAllowed (405) otherwise. */
  match(request: HttpRequest): RouteMatch {
    const method = request.method.toUpperCase()
    const onPath = this.routes.filter((route) => route.pattern.test(request.rawPath))
    const candidates = onPath.filter((route) => route.operation.http.method === method && literalsPresent(route, request.query))
    if (candidates.length === 0) {
      const otherMethod = onPath.some((route) => route.operation.http.method !== method)
      throw otherMethod ? protocolErrors.methodNotAllowed() : protocolErrors.unknownRoute(method, request.rawPath)
    }
    const best = this.pick(candidates, request)
    const values = best.pattern.exec(request.rawPath)!.slice(1)
    const labels: Record<string, string> = {}
    best.labels.forEach((name, i) => (labels[name] = values[i]!))
    return { operation: best.operation, labels }
  }

  private pick(candidates: Route[], request: HttpRequest): Route {
    // Smithy's S3 templates carry `?x-id=<Operation>`, which botocore's models dropped; SDK v3 still sends it.
    const named = request.query.get('x-id')
    const byId = named === null ? undefined : candidates.find((route) => route.operation.name === named)
    if (byId !== undefined) return byId
    return candidates.reduce((best, route) => (compare(route, best, request, this.preferred) < 0 ? route : best))
  }
}

const routers = new WeakMap<ServiceModel, RestRouter>()

/** One router per model, built on first use. */
export function routerFor(model: ServiceModel): RestRouter {
  let router = routers.get(model)
  if (router === undefined) routers.set(model, (router = new RestRouter(model)))
  return router
}

function compileRoute(model: ServiceModel, operation: OperationModel, order: number): Route {
  const uri = operation.http.requestUri
  const q = uri.indexOf('?')
  let path = q === -1 ? uri : uri.slice(0, q)
  // A template's trailing slash is optional on the wire: Lambda's model says `/functions/`, SDKs send `/functions`.
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1)
  const labels: string[] = []
  let literalChars = 0
  let greedyLabels = 0
  const source = path.replace(/\{([^}]+)\}|[^{]+/g, (part, label: string | undefined) => {
    if (label === undefined) {
      literalChars += part.length
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    }
    const greedy = label.endsWith('+')
    labels.push(greedy ? label.slice(0, -1) : label)
    if (greedy) greedyLabels++
    // A label is one non-empty path segment; a greedy label `{Key+}` spans slashes.
    return greedy ? '(.+)' : '([^/]+)'
  })
  const pattern = new RegExp(`^${source}${path === '/' ? '' : '/?'}$`)
  const queryLiterals = q === -1 ? [] : uri.slice(q + 1).split('&').map((pair): [string, string | undefined] => {
    const eq = pair.indexOf('=')
    return eq === -1 ? [decodeURIComponent(pair), undefined] : [decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1))]
  })
  return { operation, pattern, labels, queryLiterals, literalChars, greedyLabels, requiredParts: requiredParts(model, operation), order }
}

function requiredParts(model: ServiceModel, operation: OperationModel): Route['requiredParts'] {
  if (operation.input === undefined) return []
  const shape = model.shape(operation.input)
  const parts: Route['requiredParts'] = []
  for (const name of shape.required ?? []) {
    const member = shape.members?.[name]
    if (member?.location === 'querystring' || member?.location === 'header') {
      parts.push({ location: member.location, name: member.locationName ?? name })
    }
  }
  return parts
}

function literalsPresent(route: Route, query: URLSearchParams): boolean {
  return route.queryLiterals.every(([key, value]) => (value === undefined ? query.has(key) : query.get(key) === value))
}

function satisfied(route: Route, request: HttpRequest): number {
  return route.requiredParts.filter((part) => part.location === 'querystring'
    ? request.query.has(part.name) : request.headers[part.name.toLowerCase()] !== undefined).length
}

/** Negative when `a` is the better match. */
function compare(a: Route, b: Route, request: HttpRequest, preferred: readonly string[]): number {
  if (a.literalChars !== b.literalChars) return b.literalChars - a.literalChars
  if (a.queryLiterals.length !== b.queryLiterals.length) return b.queryLiterals.length - a.queryLiterals.length
  if (a.greedyLabels !== b.greedyLabels) return a.greedyLabels - b.greedyLabels
  // Same template (S3's PutObject / UploadPart / UploadPartCopy / CopyObject): the operation whose
  // required query and header members are all present, and the most of them, is the one meant.
  const aMet = satisfied(a, request)
  const bMet = satisfied(b, request)
  const aAll = aMet === a.requiredParts.length
  const bAll = bMet === b.requiredParts.length
  if (aAll !== bAll) return aAll ? -1 : 1
  if (aMet !== bMet) return bMet - aMet
  const aRank = rank(preferred, a.operation.name)
  const bRank = rank(preferred, b.operation.name)
  if (aRank !== bRank) return aRank - bRank
  return a.order - b.order
}

function rank(preferred: readonly string[], name: string): number {
  const i = preferred.indexOf(name)
  return i === -1 ? preferred.length : i
}
