// Picks the resource and method a request runs, from a deployment's snapshot: the most specific
// resource wins (a literal segment over `{param}` over greedy `{proxy+}`), then the request's method
// or ANY. [R] No backtracking: a matched resource without the method is "Missing Authentication Token".
import type { MethodData, ResourceData } from '../store.ts'
import { safeDecode } from './invoke-url.ts'

interface Node {
  resource: ResourceData
  literals: Map<string, Node>
  variable: { name: string; node: Node } | undefined
  greedy: { name: string; node: Node } | undefined
}

export interface Route {
  resource: ResourceData
  method: MethodData
  pathParameters: Record<string, string>
}

/**
 * Trees built once per deployment snapshot (snapshots never change). An API's live resources
 * (TestInvokeMethod's) are changed in place by CreateResource, UpdateResource and DeleteResource, so
 * their tree is built per call and never kept.
 */
const trees = new WeakMap<Record<string, ResourceData>, Node | undefined>()

function tree(resources: Record<string, ResourceData>, snapshot: boolean): Node | undefined {
  if (snapshot && trees.has(resources)) return trees.get(resources)
  const nodes = new Map<string, Node>()
  for (const r of Object.values(resources)) nodes.set(r.id, { resource: r, literals: new Map(), variable: undefined, greedy: undefined })
  let root: Node | undefined
  for (const node of nodes.values()) {
    const { parentId, pathPart } = node.resource
    const parent = parentId === undefined ? undefined : nodes.get(parentId)
    if (parent === undefined || pathPart === undefined) {
      root = node
      continue
    }
    if (pathPart.endsWith('+}')) parent.greedy = { name: pathPart.slice(1, -2), node }
    else if (pathPart.startsWith('{')) parent.variable = { name: pathPart.slice(1, -1), node }
    else parent.literals.set(pathPart, node)
  }
  if (snapshot) trees.set(resources, root)
  return root
}

function match(node: Node, segments: readonly string[], i: number, params: Record<string, string>): Node | undefined {
  if (i === segments.length) return node
  const segment = segments[i]!
  const literal = node.literals.get(segment)
  const viaLiteral = literal === undefined ? undefined : match(literal, segments, i + 1, params)
  if (viaLiteral !== undefined) return viaLiteral
  if (node.variable !== undefined && segment !== '') {
    const found = match(node.variable.node, segments, i + 1, params)
    if (found !== undefined) {
      params[node.variable.name] = segment
      return found
    }
  }
  if (node.greedy !== undefined) {
    params[node.greedy.name] = segments.slice(i).join('/')
    return node.greedy.node
  }
  return undefined
}

/** The resource a path names, with its path parameters, whatever methods it has. */
export function resourceFor(resources: Record<string, ResourceData>, rawPath: string, snapshot: boolean): Omit<Route, 'method'> | undefined {
  const root = tree(resources, snapshot)
  if (root === undefined) return undefined
  // A trailing slash names the same resource (`/pets/` is `/pets`).
  const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath
  const segments = trimmed === '/' ? [] : trimmed.slice(1).split('/').map(safeDecode)
  const params: Record<string, string> = {}
  const node = match(root, segments, 0, params)
  return node === undefined ? undefined : { resource: node.resource, pathParameters: params }
}

/** `snapshot`: `resources` is a deployment's (never changed), not an API's live ones. */
export function route(resources: Record<string, ResourceData>, rawPath: string, httpMethod: string, snapshot: boolean): Route | undefined {
  const found = resourceFor(resources, rawPath, snapshot)
  if (found === undefined) return undefined
  const method = found.resource.methods[httpMethod] ?? found.resource.methods['ANY']
  return method === undefined ? undefined : { ...found, method }
}
