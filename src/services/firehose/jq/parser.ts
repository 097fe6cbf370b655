// The JQ parser: tokens to a tree, with jq's precedence (lowest first): `def`, `as $x |`, `|`, `,`,
// `//` (right), `or`, `and`, comparisons (non-associative), `+ -`, `* / %`, unary `-`, postfix
// (`.a`, `[e]`, `[a:b]`, `[]`, `?`), terms; `label $x | …`, destructuring patterns (patterns.ts).
import { lex, type Tok } from './lexer.ts'
import type { Node } from './ast.ts'
import { parsePattern, type PatternCursor } from './patterns.ts'
import { JqError } from './values.ts'

export type { Node } from './ast.ts'

const COMPARISONS = ['==', '!=', '<', '<=', '>', '>=']
const ASSIGNMENTS = ['=', '|=', '+=', '-=', '*=', '/=', '%=', '//=']

export function parse(src: string): Node {
  const p = new Parser(lex(src))
  const node = p.pipe()
  p.end()
  return node
}

class Parser implements PatternCursor {
  private i = 0
  private readonly toks: Tok[]
  constructor(toks: Tok[]) {
    this.toks = toks
  }

  peek(v: string, at = this.i): boolean {
    const t = this.toks[at]
    return t !== undefined && (t.k === 'p' || t.k === 'id') && t.v === v
  }

  eat(v: string): boolean {
    if (!this.peek(v)) return false
    this.i++
    return true
  }

  expect(v: string): void {
    if (this.eat(v)) return
    throw new JqError(`syntax error: expected '${v}' ${this.where()}`)
  }

  current(): Tok | undefined {
    return this.toks[this.i]
  }

  skip(): void {
    this.i++
  }

  where(): string {
    const t = this.toks[this.i]
    if (t === undefined) return 'at end of query'
    if (t.k === 'p' || t.k === 'id') return `before '${t.v}'`
    if (t.k === 'field') return `before '.${t.v}'`
    return t.k === 'num' ? `before ${t.v}` : t.k === 'var' ? `before '$${t.v}'` : t.k === 'fmt' ? `before '@${t.v}'` : 'before a string'
  }

  end(): void {
    if (this.i >= this.toks.length) return
    throw new JqError(`syntax error: unexpected token ${this.where()}`)
  }

  private variable(): string {
    const t = this.toks[this.i]
    if (t?.k !== 'var') throw new JqError(`syntax error: expected a $variable ${this.where()}`)
    this.i++
    return t.v
  }

  pipe(): Node {
    if (this.eat('def')) {
      const t = this.toks[this.i++]
      if (t?.k !== 'id') throw new JqError(`syntax error: expected a function name ${this.where()}`)
      const params: string[] = []
      if (this.eat('(')) {
        do {
          const p = this.toks[this.i++]
          if (p?.k !== 'id' && p?.k !== 'var') throw new JqError(`syntax error: expected a parameter ${this.where()}`)
          params.push(p.k === 'var' ? `$${p.v}` : p.v)
        } while (this.eat(';'))
        this.expect(')')
      }
      this.expect(':')
      const body = this.pipe()
      this.expect(';')
      return { t: 'def', name: t.v, params, body, rest: this.pipe() }
    }
    // `Term as $x | body`: try a postfix term followed by `as`, else parse an ordinary expression.
    const start = this.i
    const hasAs = this.toks.some((t, j) => j > start && t.k === 'id' && t.v === 'as')
    if (hasAs && !this.peek('-') && !this.peek('reduce') && !this.peek('foreach') && !this.peek('if') && !this.peek('try')) {
      let source: Node | undefined
      try {
        source = this.postfix()
      } catch (e) {
        if (!(e instanceof JqError)) throw e
      }
      if (source !== undefined && this.eat('as')) {
        const patterns = [parsePattern(this)]
        // Destructuring alternatives: `?//` (lexed as `?` then `//`, so `.a?//1` still reads as `.a? // 1`).
        while (this.peek('?') && this.peek('//', this.i + 1)) {
          this.i += 2
          patterns.push(parsePattern(this))
        }
        this.expect('|')
        return { t: 'as', source, patterns, body: this.pipe() }
      }
      this.i = start
    }
    const l = this.comma()
    return this.eat('|') ? { t: 'pipe', l, r: this.pipe() } : l
  }

  private comma(): Node {
    let l = this.alt()
    while (this.eat(',')) l = { t: 'comma', l, r: this.alt() }
    return l
  }

  private alt(): Node {
    const l = this.assignment()
    return this.eat('//') ? { t: 'alt', l, r: this.alt() } : l
  }

  /** `path = v`, `path |= f`, `path op= v` (non-associative, tighter than `//`). */
  private assignment(): Node {
    const l = this.or()
    const op = ASSIGNMENTS.find((o) => this.peek(o))
    if (op === undefined) return l
    this.i++
    return { t: 'assign', op, l, r: this.or() }
  }

  private or(): Node {
    let l = this.and()
    while (this.eat('or')) l = { t: 'or', l, r: this.and() }
    return l
  }

  private and(): Node {
    let l = this.comparison()
    while (this.eat('and')) l = { t: 'and', l, r: this.comparison() }
    return l
  }

  private comparison(): Node {
    const l = this.additive()
    const op = COMPARISONS.find((o) => this.peek(o))
    if (op === undefined) return l
    this.i++
    const node: Node = { t: 'binop', op, l, r: this.additive() }
    if (COMPARISONS.some((o) => this.peek(o))) throw new JqError(`syntax error: comparisons are not associative ${this.where()}`)
    return node
  }

  private additive(): Node {
    let l = this.multiplicative()
    while (this.peek('+') || this.peek('-')) {
      const op = (this.toks[this.i++] as { v: string }).v
      l = { t: 'binop', op, l, r: this.multiplicative() }
    }
    return l
  }

  private multiplicative(): Node {
    let l = this.unary()
    while (this.peek('*') || this.peek('/') || this.peek('%')) {
      const op = (this.toks[this.i++] as { v: string }).v
      l = { t: 'binop', op, l, r: this.unary() }
    }
    return l
  }

  private unary(): Node {
    return this.eat('-') ? { t: 'neg', of: this.unary() } : this.postfix()
  }

  private postfix(): Node {
    let node = this.term()
    for (;;) {
      const t = this.toks[this.i]
      if (t?.k === 'field') {
        this.i++
        node = { t: 'index', of: node, key: { t: 'lit', v: t.v } }
      } else if (this.peek('.') && (this.toks[this.i + 1]?.k === 'str' || this.peek('[', this.i + 1))) {
        this.i++
        node = this.field(node)
      } else if (this.peek('[')) node = this.bracket(node)
      else if (this.eat('?')) node = { t: 'try', body: node, handler: null }
      else return node
    }
  }

  /** After a '.': `"name"` or `[…]`. */
  private field(of: Node): Node {
    const t = this.toks[this.i]
    if (t?.k === 'str') { this.i++; return { t: 'index', of, key: this.stringNode(t, 'text') } }
    if (this.peek('[')) return this.bracket(of)
    throw new JqError(`syntax error: expected a field name after '.' ${this.where()}`)
  }

  private bracket(of: Node): Node {
    this.expect('[')
    if (this.eat(']')) return { t: 'iterate', of }
    if (this.eat(':')) {
      const to = this.pipe()
      this.expect(']')
      return { t: 'slice', of, from: null, to }
    }
    const key = this.pipe()
    if (this.eat(':')) {
      const to = this.peek(']') ? null : this.pipe()
      this.expect(']')
      return { t: 'slice', of, from: key, to }
    }
    this.expect(']')
    return { t: 'index', of, key }
  }

  private term(): Node {
    const t = this.toks[this.i]
    if (t === undefined) throw new JqError('syntax error: unexpected end of query')
    this.i++
    switch (t.k) {
      case 'num': return { t: 'lit', v: t.v }
      case 'str': return this.stringNode(t, 'text')
      // `$__loc__`: where it is written, as jq gives it for a program read from the command line.
      case 'var': return t.v === '__loc__' ? { t: 'lit', v: { file: '<stdin>', line: t.line ?? 1 } } : { t: 'var', name: t.v }
      case 'field': return { t: 'index', of: { t: 'identity' }, key: { t: 'lit', v: t.v } }
      case 'fmt': {
        const s = this.toks[this.i]
        if (s?.k === 'str') { this.i++; return this.stringNode(s, t.v) }
        return { t: 'format', fmt: t.v }
      }
      case 'id': return this.keywordOrCall(t.v)
    }
    switch (t.v) {
      case '.': {
        const next = this.toks[this.i]
        if (next?.k === 'str' || this.peek('[')) return this.field({ t: 'identity' })
        return { t: 'identity' }
      }
      case '..': return { t: 'recurse' }
      case '(': {
        const inner = this.pipe()
        this.expect(')')
        return inner
      }
      case '[': {
        if (this.eat(']')) return { t: 'array', body: null }
        const body = this.pipe()
        this.expect(']')
        return { t: 'array', body }
      }
      case '{': return this.object()
    }
    this.i--
    throw new JqError(`syntax error: unexpected token ${this.where()}`)
  }

  private keywordOrCall(name: string): Node {
    switch (name) {
      case 'null': return { t: 'lit', v: null }
      case 'true': return { t: 'lit', v: true }
      case 'false': return { t: 'lit', v: false }
      case 'if': return this.ifThen()
      case 'try': {
        const body = this.postfix()
        return { t: 'try', body, handler: this.eat('catch') ? this.postfix() : null }
      }
      case 'reduce': case 'foreach': {
        const source = this.postfix()
        this.expect('as')
        const pattern = parsePattern(this)
        this.expect('(')
        const init = this.pipe()
        this.expect(';')
        const update = this.pipe()
        let extract: Node | null = null
        if (name === 'foreach' && this.eat(';')) extract = this.pipe()
        this.expect(')')
        return name === 'reduce' ? { t: 'reduce', source, pattern, init, update } : { t: 'foreach', source, pattern, init, update, extract }
      }
      case 'then': case 'elif': case 'else': case 'end': case 'as': case 'catch': case 'and': case 'or': case 'def':
        this.i--
        throw new JqError(`syntax error: unexpected token ${this.where()}`)
      case 'label': {
        const label = this.variable()
        this.expect('|')
        return { t: 'label', name: label, body: this.pipe() }
      }
      case 'break': return { t: 'break', name: this.variable() }
      case 'import': case 'include':
        throw new JqError(`unsupported: '${name}' is not supported by Nimbus's JQ engine`)
    }
    const args: Node[] = []
    if (this.eat('(')) {
      do args.push(this.pipe())
      while (this.eat(';'))
      this.expect(')')
    }
    return { t: 'call', name, args }
  }

  private ifThen(): Node {
    const cond = this.pipe()
    this.expect('then')
    const then = this.pipe()
    if (this.eat('elif')) return { t: 'if', cond, then, else: this.ifThen() }
    let otherwise: Node | null = null
    if (this.eat('else')) otherwise = this.pipe()
    this.expect('end')
    return { t: 'if', cond, then, else: otherwise }
  }

  stringNode(t: Tok & { k: 'str' }, fmt: string): Node {
    if (fmt === 'text' && t.parts.length === 1 && typeof t.parts[0] === 'string') return { t: 'lit', v: t.parts[0] }
    return { t: 'interp', fmt, parts: t.parts.map((p) => typeof p === 'string' ? p : parse(p[0]!)) }
  }

  private object(): Node {
    const entries: Array<[Node, Node]> = []
    while (!this.peek('}')) {
      const t = this.toks[this.i]
      let key: Node
      let shorthand: Node | undefined
      if (t?.k === 'id') { key = { t: 'lit', v: t.v }; shorthand = { t: 'index', of: { t: 'identity' }, key }; this.i++ }
      else if (t?.k === 'var') { key = { t: 'lit', v: t.v }; shorthand = { t: 'var', name: t.v }; this.i++ }
      else if (t?.k === 'str') { key = this.stringNode(t, 'text'); shorthand = { t: 'index', of: { t: 'identity' }, key }; this.i++ }
      else if (t?.k === 'num') throw new JqError(`syntax error: object keys must be strings ${this.where()}`)
      else if (this.eat('(')) { key = this.pipe(); this.expect(')') }
      else throw new JqError(`syntax error: expected an object key ${this.where()}`)
      if (this.eat(':')) entries.push([key, this.objectValue()])
      else if (shorthand !== undefined) entries.push([key, shorthand])
      else throw new JqError(`syntax error: expected ':' ${this.where()}`)
      if (!this.eat(',')) break
    }
    this.expect('}')
    return { t: 'object', entries }
  }

  /** An object value: pipes allowed, commas end it (as in jq's grammar). */
  private objectValue(): Node {
    const l = this.alt()
    return this.eat('|') ? { t: 'pipe', l, r: this.objectValue() } : l
  }
}
