// A JQ engine for Firehose's MetadataExtraction processor (JsonParsingEngine JQ-1.6): the subset
// partition-key queries use — `.`, `.a.b`, `."k"`, `.[n]`, `.["k"]`, `.a?`, pipes, `//`, `+`/`-`,
// object construction `{k: .x, "k": .y, (expr): .z, k}`, string interpolation `"\(.x)"`, literals,
// and the builtins listed below. Each expression yields exactly one value (no generators such as
// `.[]` or `,`): a query that needs them is refused at parse time with a clear error.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

export class JqError extends Error {}

type Node =
  | { t: 'identity' }
  | { t: 'lit'; v: Json }
  | { t: 'index'; of: Node; key: Node; optional: boolean }
  | { t: 'pipe'; l: Node; r: Node }
  | { t: 'alt'; l: Node; r: Node }
  | { t: 'arith'; op: '+' | '-'; l: Node; r: Node }
  | { t: 'object'; entries: Array<[Node, Node]> }
  | { t: 'interp'; parts: Array<string | Node> }
  | { t: 'call'; name: string }

const builtins: Record<string, (v: Json) => Json> = {
  tostring: (v) => typeof v === 'string' ? v : JSON.stringify(v),
  tonumber: (v) => {
    if (typeof v === 'number') return v
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
    throw new JqError(`Cannot parse '${typeof v === 'string' ? v : JSON.stringify(v)}' as JSON`)
  },
  length: (v) => {
    if (v === null) return 0
    if (typeof v === 'string' || Array.isArray(v)) return v.length
    if (typeof v === 'object') return Object.keys(v).length
    if (typeof v === 'number') return Math.abs(v)
    throw new JqError(`${typeName(v)} (${JSON.stringify(v)}) has no length`)
  },
  ascii_downcase: (v) => typeof v === 'string' ? v.replace(/[A-Z]/g, (c) => c.toLowerCase()) : fail(`${typeName(v)} (${JSON.stringify(v)}) cannot be ascii_downcased`),
  ascii_upcase: (v) => typeof v === 'string' ? v.replace(/[a-z]/g, (c) => c.toUpperCase()) : fail(`${typeName(v)} (${JSON.stringify(v)}) cannot be ascii_upcased`),
  keys: (v) => v !== null && typeof v === 'object' ? (Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v).sort()) : fail(`${typeName(v)} (${JSON.stringify(v)}) has no keys`),
  type: (v) => typeName(v),
  not: (v) => v === null || v === false,
  floor: (v) => typeof v === 'number' ? Math.floor(v) : fail(`${typeName(v)} (${JSON.stringify(v)}) number required`),
}

function fail(message: string): never {
  throw new JqError(message)
}

function typeName(v: Json): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v === 'object' ? 'object' : typeof v
}

/** Tokens: punctuation, identifiers, numbers, and strings (kept raw for interpolation). */
type Tok = { k: 'p'; v: string } | { k: 'id'; v: string } | { k: 'num'; v: number } | { k: 'str'; parts: Array<string | string[]> }

function lex(src: string): Tok[] {
  const out: Tok[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (/\s/.test(c)) { i++; continue }
    if (c === '"') {
      const [tok, end] = lexString(src, i + 1)
      out.push(tok)
      i = end
      continue
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i))!
      out.push({ k: 'num', v: Number(m[0]) })
      i += m[0].length
      continue
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_]*/.exec(src.slice(i))!
      out.push({ k: 'id', v: m[0] })
      i += m[0].length
      continue
    }
    if (src.startsWith('//', i)) { out.push({ k: 'p', v: '//' }); i += 2; continue }
    if ('.|{}[]():,?+-'.includes(c)) { out.push({ k: 'p', v: c }); i++; continue }
    throw new JqError(`syntax error: unexpected '${c}' at position ${i}`)
  }
  return out
}

/** A string literal from after its opening quote: text pieces and `\( … )` sources. */
function lexString(src: string, start: number): [Tok, number] {
  const parts: Array<string | string[]> = []
  let text = ''
  let i = start
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' }
  while (i < src.length) {
    const c = src[i]!
    if (c === '"') {
      if (text !== '' || parts.length === 0) parts.push(text)
      return [{ k: 'str', parts }, i + 1]
    }
    if (c === '\\') {
      const e = src[i + 1]
      if (e === '(') {
        let depth = 1
        let j = i + 2
        while (j < src.length && depth > 0) {
          if (src[j] === '(') depth++
          else if (src[j] === ')') depth--
          j++
        }
        if (depth > 0) break
        if (text !== '') parts.push(text)
        text = ''
        parts.push([src.slice(i + 2, j - 1)])
        i = j
        continue
      }
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        text += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16))
        i += 6
        continue
      }
      if (e === undefined || !(e in escapes)) throw new JqError(`syntax error: invalid escape '\\${e ?? ''}' in string`)
      text += escapes[e]
      i += 2
      continue
    }
    text += c
    i++
  }
  throw new JqError('syntax error: unterminated string')
}

class Parser {
  private i = 0
  private readonly toks: Tok[]
  constructor(toks: Tok[]) {
    this.toks = toks
  }

  private peek(v: string): boolean {
    const t = this.toks[this.i]
    return t?.k === 'p' && t.v === v
  }

  private expect(v: string): void {
    if (!this.peek(v)) throw new JqError(`syntax error: expected '${v}' ${this.where()}`)
    this.i++
  }

  private where(): string {
    const t = this.toks[this.i]
    if (t === undefined) return 'at end of query'
    return `before ${t.k === 'p' || t.k === 'id' ? `'${t.v}'` : t.k === 'num' ? String(t.v) : 'a string'}`
  }

  parseAll(): Node {
    const node = this.pipe()
    if (this.i < this.toks.length) {
      if (this.peek(',')) throw new JqError("unsupported: ',' (multiple outputs) is not supported by Nimbus's JQ engine; build an object instead")
      throw new JqError(`syntax error: unexpected token ${this.where()}`)
    }
    return node
  }

  pipe(): Node {
    let l = this.alt()
    while (this.peek('|')) {
      this.i++
      l = { t: 'pipe', l, r: this.alt() }
    }
    return l
  }

  private alt(): Node {
    const l = this.additive()
    if (this.peek('//')) {
      this.i++
      return { t: 'alt', l, r: this.alt() }
    }
    return l
  }

  private additive(): Node {
    let l = this.postfix()
    while (this.peek('+') || this.peek('-')) {
      const op = (this.toks[this.i++] as { v: '+' | '-' }).v
      l = { t: 'arith', op, l, r: this.postfix() }
    }
    return l
  }

  private postfix(): Node {
    let node = this.term()
    for (;;) {
      if (this.peek('.')) {
        this.i++
        node = this.field(node)
      } else if (this.peek('[')) {
        node = this.bracket(node)
      } else return node
    }
  }

  /** After a '.': `name`, `"name"` or `[…]`. */
  private field(of: Node): Node {
    const t = this.toks[this.i]
    let key: Node
    if (t?.k === 'id') key = { t: 'lit', v: t.v }
    else if (t?.k === 'str') key = this.stringNode(t)
    else if (this.peek('[')) return this.bracket(of)
    else throw new JqError(`syntax error: expected a field name after '.' ${this.where()}`)
    this.i++
    return this.optional({ t: 'index', of, key, optional: false })
  }

  private bracket(of: Node): Node {
    this.expect('[')
    if (this.peek(']')) throw new JqError("unsupported: '.[]' (iteration) is not supported by Nimbus's JQ engine")
    const key = this.pipe()
    if (this.peek(':')) throw new JqError("unsupported: slices ('.[a:b]') are not supported by Nimbus's JQ engine")
    this.expect(']')
    return this.optional({ t: 'index', of, key, optional: false })
  }

  private optional(node: Node & { t: 'index' }): Node {
    if (this.peek('?')) {
      this.i++
      node.optional = true
    }
    return node
  }

  private term(): Node {
    const t = this.toks[this.i]
    if (t === undefined) throw new JqError('syntax error: unexpected end of query')
    if (t.k === 'p' && t.v === '.') {
      this.i++
      const next = this.toks[this.i]
      if (next?.k === 'id' || next?.k === 'str' || (next?.k === 'p' && next.v === '[')) return this.field({ t: 'identity' })
      return { t: 'identity' }
    }
    if (t.k === 'num') { this.i++; return { t: 'lit', v: t.v } }
    if (t.k === 'str') { this.i++; return this.stringNode(t) }
    if (t.k === 'p' && t.v === '(') {
      this.i++
      const inner = this.pipe()
      this.expect(')')
      return inner
    }
    if (t.k === 'p' && t.v === '{') return this.object()
    if (t.k === 'p' && t.v === '-') {
      this.i++
      return { t: 'arith', op: '-', l: { t: 'lit', v: 0 }, r: this.postfix() }
    }
    if (t.k === 'id') {
      this.i++
      if (t.v === 'null') return { t: 'lit', v: null }
      if (t.v === 'true' || t.v === 'false') return { t: 'lit', v: t.v === 'true' }
      if (!(t.v in builtins)) throw new JqError(`${t.v}/0 is not defined (Nimbus's JQ engine knows ${Object.keys(builtins).join(', ')})`)
      return { t: 'call', name: t.v }
    }
    throw new JqError(`syntax error: unexpected token ${this.where()}`)
  }

  private stringNode(t: Tok & { k: 'str' }): Node {
    if (t.parts.length === 1 && typeof t.parts[0] === 'string') return { t: 'lit', v: t.parts[0] }
    return { t: 'interp', parts: t.parts.map((p) => typeof p === 'string' ? p : new Parser(lex(p[0]!)).parseAll()) }
  }

  private object(): Node {
    this.expect('{')
    const entries: Array<[Node, Node]> = []
    while (!this.peek('}')) {
      const t = this.toks[this.i]
      let key: Node
      let name: string | undefined
      if (t?.k === 'id') { key = { t: 'lit', v: t.v }; name = t.v; this.i++ }
      else if (t?.k === 'str') { key = this.stringNode(t); name = typeof (key as { v?: unknown }).v === 'string' ? (key as { v: string }).v : undefined; this.i++ }
      else if (this.peek('(')) { this.i++; key = this.pipe(); this.expect(')') }
      else throw new JqError(`syntax error: expected an object key ${this.where()}`)
      if (this.peek(':')) {
        this.i++
        entries.push([key, this.objectValue()])
      } else if (name !== undefined) {
        entries.push([key, { t: 'index', of: { t: 'identity' }, key: { t: 'lit', v: name }, optional: false }])
      } else throw new JqError(`syntax error: expected ':' ${this.where()}`)
      if (!this.peek(',')) break
      this.i++
    }
    this.expect('}')
    return { t: 'object', entries }
  }

  /** An object value: pipes allowed, commas end it (as in jq's grammar). */
  private objectValue(): Node {
    let l = this.alt()
    while (this.peek('|')) {
      this.i++
      l = { t: 'pipe', l, r: this.alt() }
    }
    return l
  }
}

function index(v: Json, k: Json): Json {
  if (v === null) return null
  if (typeof k === 'string') {
    if (typeof v === 'object' && !Array.isArray(v)) return Object.hasOwn(v, k) ? v[k]! : null
    throw new JqError(`Cannot index ${typeName(v)} with "${k}"`)
  }
  if (typeof k === 'number') {
    if (Array.isArray(v)) {
      const i = Math.floor(k) < 0 ? v.length + Math.floor(k) : Math.floor(k)
      return v[i] ?? null
    }
    throw new JqError(`Cannot index ${typeName(v)} with number`)
  }
  throw new JqError(`Cannot index ${typeName(v)} with ${typeName(k)}`)
}

function evaluate(n: Node, input: Json): Json {
  switch (n.t) {
    case 'identity': return input
    case 'lit': return n.v
    case 'pipe': return evaluate(n.r, evaluate(n.l, input))
    case 'alt': {
      let l: Json = null
      try { l = evaluate(n.l, input) } catch (e) { if (!(e instanceof JqError)) throw e }
      return l === null || l === false ? evaluate(n.r, input) : l
    }
    case 'index': {
      const of = evaluate(n.of, input)
      try {
        return index(of, evaluate(n.key, input))
      } catch (e) {
        if (n.optional && e instanceof JqError) return null
        throw e
      }
    }
    case 'arith': return arith(n.op, evaluate(n.l, input), evaluate(n.r, input))
    case 'object': {
      const out: { [k: string]: Json } = {}
      for (const [k, v] of n.entries) {
        const key = evaluate(k, input)
        if (typeof key !== 'string') throw new JqError(`Object keys must be strings`)
        out[key] = evaluate(v, input)
      }
      return out
    }
    case 'interp': return n.parts.map((p) => typeof p === 'string' ? p : builtins.tostring!(evaluate(p, input))).join('')
    case 'call': return builtins[n.name]!(input)
  }
}

function arith(op: '+' | '-', l: Json, r: Json): Json {
  if (op === '+') {
    if (l === null) return r
    if (r === null) return l
    if (typeof l === 'number' && typeof r === 'number') return l + r
    if (typeof l === 'string' && typeof r === 'string') return l + r
    if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r]
  } else if (typeof l === 'number' && typeof r === 'number') return l - r
  throw new JqError(`${typeName(l)} (${JSON.stringify(l)}) and ${typeName(r)} (${JSON.stringify(r)}) cannot be ${op === '+' ? 'added' : 'subtracted'}`)
}

/** A compiled query: throws JqError on a syntax error or an unsupported construct. */
export function compileJq(query: string): (input: Json) => Json {
  const tree = new Parser(lex(query)).parseAll()
  return (input) => evaluate(tree, input)
}
