// API Gateway's mapping-template engine: a VTL (Velocity 1.7) subset parsed into a tree and
// rendered by walking it — no eval, bounded loops and nesting, errors as VtlError, never a crash.
import type { Node } from './ast.ts'
import { javaMatchesWhole } from './java-regex.ts'
import { jsonPath } from './json-path.ts'
import { parseTemplate } from './parse.ts'
import { defaultLimits, type RenderLimits, renderTemplate } from './render.ts'
import { fromJson, toJson, type Value } from './values.ts'

export { VtlError, type Value, type VtlMap } from './values.ts'
export { inputVariable, plainMap, plainValue, type RequestParams, utilVariable } from './variables.ts'

/** Templates are parsed once: a deployment's templates are few and re-used by every request. */
const parsed = new Map<string, Node[]>()

export function renderVtl(source: string, variables: Map<string, Value>, limits: RenderLimits = defaultLimits): string {
  let nodes = parsed.get(source)
  if (nodes === undefined) {
    nodes = parseTemplate(source)
    if (parsed.size >= 1000) parsed.clear()
    parsed.set(source, nodes)
  }
  return renderTemplate(nodes, variables, limits)
}

/** Throws VtlError with the line and column of the first problem: for checks at import time. */
export function checkVtl(source: string): void {
  parseTemplate(source)
}

/**
 * A JSONPath into a JSON text, as parameter mappings read `method.request.body.x` and
 * `integration.response.body.x`: a string as it is, anything else as JSON; undefined when absent.
 */
export function jsonPathOf(json: string, path: string): string | undefined {
  const value = jsonPath(fromJson(json), path)
  if (value === null) return undefined
  return typeof value === 'string' ? value : toJson(value)
}

/** Java's String.matches: the whole text against a Java regex (integration responses' selection patterns). */
export function javaMatches(pattern: string, text: string): boolean {
  return javaMatchesWhole(pattern, text)
}
