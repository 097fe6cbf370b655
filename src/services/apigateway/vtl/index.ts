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

/** A parsed template; `text` is its output when it is all text (no reference or directive). */
interface Compiled {
  nodes: Node[]
  text: string | undefined
}

/** Templates are parsed once: a deployment's templates are few and re-used by every request. */
const parsed = new Map<string, Compiled>()

/**
 * `variables` may be a function: a template that is all text (`{"statusCode": 200}`) is answered
 * without building them — what a MOCK integration mostly has, and the request context is costly.
 */
export function renderVtl(source: string, variables: Map<string, Value> | (() => Map<string, Value>), limits: RenderLimits = defaultLimits): string {
  let compiled = parsed.get(source)
  if (compiled === undefined) {
    const nodes = parseTemplate(source)
    compiled = { nodes, text: nodes.every((n) => n.kind === 'text') ? nodes.map((n) => (n as { text: string }).text).join('') : undefined }
    if (parsed.size >= 1000) parsed.clear()
    parsed.set(source, compiled)
  }
  // The renderer's own bounds still apply to text alone (its output cap; a step per node).
  const { text, nodes } = compiled
  if (text !== undefined && text.length <= limits.maxOutput && nodes.length <= limits.maxSteps) return text
  return renderTemplate(nodes, typeof variables === 'function' ? variables() : variables, limits)
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
