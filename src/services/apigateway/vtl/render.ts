// Renders a parsed VTL template with the variables given ($input, $util, $context…), within
// bounds: a step budget, an output cap and AWS's 1,000 iterations per #foreach. Anything beyond
// them, and any Java exception a method would throw, is a VtlError (API Gateway answers 500).
import type { Expr, Node, Reference } from './ast.ts'
import { arithmetic, compare } from './operators.ts'
import { callMethod, indexOf, propertyOf } from './methods.ts'
import { type HostObject, isHost, isNumber, render, truthy, type Value, type VtlMap, vtlEquals, VtlError } from './values.ts'

export interface RenderLimits {
  /** Nodes and expressions evaluated, in all (a runaway nested loop ends here). */
  maxSteps: number
  /** Characters written, and the longest string a template may build. */
  maxOutput: number
  /** AWS: 1,000 iterations per #foreach [R: the loop then simply ends]. */
  maxLoop: number
}

export const defaultLimits: RenderLimits = { maxSteps: 1_000_000, maxOutput: 10 * 1024 * 1024, maxLoop: 1000 }

type Flow = 'next' | 'break' | 'stop'

export function renderTemplate(nodes: Node[], variables: Map<string, Value>, limits: RenderLimits = defaultLimits): string {
  const renderer = new Renderer(new Map(variables), limits)
  renderer.run(nodes)
  return renderer.output()
}

class Renderer {
  private readonly vars: Map<string, Value>
  private readonly limits: RenderLimits
  private parts: string[] = []
  private length = 0
  private steps = 0

  constructor(vars: Map<string, Value>, limits: RenderLimits) {
    this.vars = vars
    this.limits = limits
  }

  output(): string {
    return this.parts.join('')
  }

  private step(): void {
    if (++this.steps > this.limits.maxSteps) throw new VtlError('Template evaluation exceeded its step budget')
  }

  private write(text: string): void {
    this.length += text.length
    if (this.length > this.limits.maxOutput) throw new VtlError('Template output too large')
    this.parts.push(text)
  }

  run(nodes: Node[]): Flow {
    for (const node of nodes) {
      this.step()
      const flow = this.node(node)
      if (flow !== 'next') return flow
    }
    return 'next'
  }

  private node(node: Node): Flow {
    switch (node.kind) {
      case 'text':
        this.write(node.text)
        return 'next'
      case 'ref': {
        const value = this.reference(node.ref)
        this.write(value === null ? (node.ref.quiet ? '' : node.ref.source) : render(value))
        return 'next'
      }
      case 'escaped':
        this.write(this.reference(node.ref) === null ? `\\${node.ref.source}` : node.ref.source)
        return 'next'
      case 'set':
        this.assign(node.target, this.expr(node.value))
        return 'next'
      case 'if': {
        for (const branch of node.branches) if (truthy(this.expr(branch.condition))) return this.run(branch.body)
        return node.otherwise === undefined ? 'next' : this.run(node.otherwise)
      }
      case 'foreach':
        return this.foreach(node)
      case 'break':
        return 'break'
      case 'stop':
        return 'stop'
    }
  }

  private foreach(node: Extract<Node, { kind: 'foreach' }>): Flow {
    const iterable = this.expr(node.iterable)
    const items = Array.isArray(iterable) ? [...iterable] : iterable instanceof Map ? [...iterable.values()] : []
    const saved = ['foreach', 'velocityCount', 'velocityHasNext', node.variable].map((name) => [name, this.vars.get(name)] as const)
    const parent = this.vars.get('foreach') ?? null
    const n = Math.min(items.length, this.limits.maxLoop)
    let flow: Flow = 'next'
    for (let i = 0; i < n; i++) {
      this.step()
      const item = items[i]!
      // A null element leaves the variable without a value for that round, as in Velocity.
      if (item === null) this.vars.delete(node.variable)
      else this.vars.set(node.variable, item)
      this.vars.set('foreach', loopState(i, n, parent))
      this.vars.set('velocityCount', i + 1)
      this.vars.set('velocityHasNext', i + 1 < n)
      flow = this.run(node.body)
      if (flow !== 'next') break
    }
    for (const [name, value] of saved) {
      if (value === undefined) this.vars.delete(name)
      else this.vars.set(name, value)
    }
    return flow === 'stop' ? 'stop' : 'next'
  }

  /** Velocity 1.7 leaves the target as it was when the value is null. */
  private assign(target: Reference, value: Value): void {
    if (value === null) return
    if (typeof value === 'string' && value.length > this.limits.maxOutput) throw new VtlError('String too large')
    if (target.parts.length === 0) {
      this.vars.set(target.name, value)
      return
    }
    const owner = this.walk(target.name, target.parts.slice(0, -1))
    const last = target.parts[target.parts.length - 1]!
    if (last.kind === 'call') return
    const name = last.kind === 'property' ? last.name : this.expr(last.index)
    if (owner instanceof Map && (typeof name === 'string' || typeof name === 'number')) owner.set(name, value)
    else if (Array.isArray(owner) && typeof name === 'number' && name >= 0 && name < owner.length) owner[name] = value
    else if (isHost(owner) && typeof name === 'string') owner.assign?.(name, value)
  }

  private reference(ref: Reference): Value {
    return this.walk(ref.name, ref.parts)
  }

  private walk(name: string, parts: Reference['parts']): Value {
    let value = this.vars.get(name) ?? null
    for (const part of parts) {
      if (value === null) return null
      this.step()
      if (part.kind === 'property') value = propertyOf(value, part.name)
      else if (part.kind === 'index') value = indexOf(value, this.expr(part.index))
      else {
        const args = part.args.map((a) => this.expr(a))
        value = callMethod(value, part.name, args) ?? null
      }
      if (typeof value === 'string' && value.length > this.limits.maxOutput) throw new VtlError('String too large')
    }
    return value
  }

  private expr(e: Expr): Value {
    this.step()
    switch (e.kind) {
      case 'literal':
        return e.value
      case 'interpolated': {
        const inner = new Renderer(this.vars, this.limits)
        inner.steps = this.steps
        inner.run(e.nodes)
        this.steps = inner.steps
        return inner.output()
      }
      case 'reference':
        return this.reference(e.ref)
      case 'list':
        return e.items.map((item) => this.expr(item))
      case 'range':
        return this.range(this.expr(e.from), this.expr(e.to))
      case 'map': {
        const map: VtlMap = new Map()
        for (const [k, v] of e.entries) {
          const key = this.expr(k)
          map.set(typeof key === 'object' && key !== null ? render(key) : key, this.expr(v))
        }
        return map
      }
      case 'not':
        return !truthy(this.expr(e.operand))
      case 'negate': {
        const v = this.expr(e.operand)
        return isNumber(v) ? arithmetic('-', 0, v) : null
      }
      case 'binary':
        return this.binary(e)
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Value {
    if (e.op === '&&') return truthy(this.expr(e.left)) && truthy(this.expr(e.right))
    if (e.op === '||') return truthy(this.expr(e.left)) || truthy(this.expr(e.right))
    const left = this.expr(e.left)
    const right = this.expr(e.right)
    switch (e.op) {
      case '==': return vtlEquals(left, right)
      case '!=': return !vtlEquals(left, right)
      case '<': case '>': case '<=': case '>=': return compare(e.op, left, right)
      default: {
        const result = arithmetic(e.op, left, right)
        if (typeof result === 'string' && result.length > this.limits.maxOutput) throw new VtlError('String too large')
        return result
      }
    }
  }

  /** `[1..5]`, `[5..1]`: integers both ways, as many as a loop may take. */
  private range(from: Value, to: Value): Value {
    if (typeof from !== 'number' || typeof to !== 'number') return null
    const count = Math.abs(to - from) + 1
    if (count > this.limits.maxSteps) throw new VtlError('Range too large')
    const direction = to >= from ? 1 : -1
    return Array.from({ length: count }, (_, i) => from + i * direction)
  }
}

/** `$foreach`: hasNext, index (from 0), count (from 1), first, last, parent. */
function loopState(i: number, n: number, parent: Value): HostObject {
  const props: Record<string, Value> = { hasNext: i + 1 < n, index: i, count: i + 1, first: i === 0, last: i + 1 === n, parent }
  return {
    host: true,
    property: (name) => props[name],
    call: (name, args) => {
      if (args.length > 0) return undefined
      const prop = name.replace(/^(get|is)([A-Z])/, (_, _p: string, c: string) => c.toLowerCase())
      return props[name] ?? props[prop]
    },
    toString: () => `foreach(${i})`,
  }
}
