// VTL templates → a tree: text, references, #set/#if/#elseif/#else/#foreach/#break/#stop, comments.
// A line holding only directives and whitespace leaves no trace in the output (Velocity's
// "lines" space gobbling; see the README on whitespace).
import type { Expr, Node, Reference } from './ast.ts'
import { Cursor, maxDepth } from './cursor.ts'
import { VtlError } from './values.ts'

type Token =
  | { t: 'text'; text: string }
  | { t: 'node'; node: Node; directive: boolean }
  | { t: 'if' | 'elseif'; condition: Expr }
  | { t: 'else' | 'end' }
  /** `line`: a ## comment, which takes its line break with it. */
  | { t: 'comment'; line: boolean }
  | { t: 'foreach'; variable: string; iterable: Expr }

const blockOpen = new Set(['if', 'elseif', 'else', 'end', 'foreach', 'comment'])
const unsupported = new Set(['macro', 'define', 'parse', 'include', 'evaluate'])

/** Throws VtlError with the line and column for a template Velocity would refuse. */
export function parseTemplate(source: string, depth = 0): Node[] {
  if (depth > maxDepth) throw new VtlError('Template nesting too deep')
  const cursor = new Cursor(source, depth, parseTemplate)
  return build(gobbleLines(scan(cursor)), cursor)
}

function scan(c: Cursor): Token[] {
  const { src } = c
  const tokens: Token[] = []
  const text = (t: string) => tokens.push({ t: 'text', text: t })
  while (c.pos < src.length) {
    const ch = src[c.pos]!
    if (ch === '#') {
      const token = hash(c)
      if (token === undefined) {
        text('#')
        c.pos++
      } else if (token !== 'raw') tokens.push(token)
      else {
        const end = src.indexOf(']]#', c.pos + 3)
        if (end === -1) c.fail('Unterminated #[[ ]]# block')
        text(src.slice(c.pos + 3, end))
        c.pos = end + 3
      }
    } else if (ch === '$') {
      const ref = c.reference()
      if (ref === undefined) {
        text('$')
        c.pos++
      } else tokens.push({ t: 'node', node: { kind: 'ref', ref }, directive: false })
    } else if (ch === '\\' && (src[c.pos + 1] === '$' || src[c.pos + 1] === '#')) {
      c.pos++
      const ref = src[c.pos] === '$' ? c.reference() : undefined
      if (ref !== undefined) tokens.push({ t: 'node', node: { kind: 'escaped', ref }, directive: false })
      else {
        // `\#if` is the text `#if`.
        text(src[c.pos]!)
        c.pos++
      }
    } else {
      let end = c.pos + 1
      while (end < src.length && src[end] !== '#' && src[end] !== '$' && src[end] !== '\\') end++
      text(src.slice(c.pos, end))
      c.pos = end
    }
  }
  return tokens
}

/** At `#`: a directive or comment token, `raw` for `#[[`, undefined when the `#` is plain text. */
function hash(c: Cursor): Token | 'raw' | undefined {
  const { src } = c
  if (src.startsWith('##', c.pos)) {
    const end = src.indexOf('\n', c.pos)
    c.pos = end === -1 ? src.length : end + 1
    return { t: 'comment', line: true }
  }
  if (src.startsWith('#*', c.pos)) {
    const end = src.indexOf('*#', c.pos + 2)
    if (end === -1) c.fail('Unterminated #* *# comment')
    c.pos = end + 2
    return { t: 'comment', line: false }
  }
  if (src.startsWith('#[[', c.pos)) return 'raw'
  const m = /#(\{)?([a-zA-Z]+)(\})?/y
  m.lastIndex = c.pos
  const found = m.exec(src)
  if (found === null || (found[1] !== undefined) !== (found[3] !== undefined)) return undefined
  const name = found[2]!
  if (unsupported.has(name)) c.fail(`#${name} is not supported in mapping templates`)
  const after = c.pos + found[0].length
  switch (name) {
    case 'else':
    case 'end':
      c.pos = after
      return { t: name }
    case 'break':
    case 'stop':
      c.pos = after
      return { t: 'node', node: { kind: name }, directive: true }
    case 'set':
    case 'if':
    case 'elseif':
    case 'foreach':
      c.pos = after
      c.expect('(')
      return directive(c, name)
    default:
      return undefined
  }
}

function directive(c: Cursor, name: 'set' | 'if' | 'elseif' | 'foreach'): Token {
  c.skipSpace()
  if (name === 'if' || name === 'elseif') {
    const condition = c.expression()
    c.expect(')')
    return { t: name, condition }
  }
  if (c.src[c.pos] !== '$') c.fail(`#${name} needs a reference`)
  const target: Reference | undefined = c.reference()
  if (target === undefined) c.fail(`#${name} needs a reference`)
  if (name === 'foreach') {
    if (target.parts.length > 0) c.fail('#foreach needs a plain variable')
    c.skipSpace()
    if (!/^in\b/.test(c.src.slice(c.pos, c.pos + 3))) c.fail('Expected "in" in #foreach')
    c.pos += 2
    const iterable = c.expression()
    c.expect(')')
    return { t: 'foreach', variable: target.name, iterable }
  }
  c.expect('=')
  const value = c.expression()
  c.expect(')')
  return { t: 'node', node: { kind: 'set', target, value }, directive: true }
}

const isDirective = (t: Token) => (t.t === 'node' ? t.directive : blockOpen.has(t.t))

/** Drops the indentation and line break of every line that holds only directives and comments. */
function gobbleLines(tokens: Token[]): Token[] {
  // Split text at line breaks so each line's tokens can be judged on their own.
  const pieces: Token[] = []
  for (const token of tokens) {
    if (token.t !== 'text' || !token.text.includes('\n')) {
      pieces.push(token)
      continue
    }
    const lines = token.text.split('\n')
    lines.forEach((line, i) => {
      if (line !== '') pieces.push({ t: 'text', text: line })
      if (i < lines.length - 1) pieces.push({ t: 'text', text: '\n' })
    })
  }
  const out: Token[] = []
  let line: Token[] = []
  const flush = (newline: Token | undefined) => {
    const blank = (t: Token) => t.t === 'text' && /^[ \t\r]*$/.test(t.text)
    const onlyDirectives = line.some(isDirective) && line.every((t) => isDirective(t) || blank(t))
    if (onlyDirectives) out.push(...line.filter(isDirective))
    else out.push(...line, ...(newline === undefined ? [] : [newline]))
    line = []
  }
  for (const piece of pieces) {
    if (piece.t === 'text' && piece.text === '\n') flush(piece)
    else {
      line.push(piece)
      // A ## comment took its line break with it.
      if (piece.t === 'comment' && piece.line) flush(undefined)
    }
  }
  flush(undefined)
  return out
}

interface Frame {
  body: Node[]
  node?: Extract<Node, { kind: 'if' | 'foreach' }>
}

function build(tokens: Token[], c: Cursor): Node[] {
  const root: Node[] = []
  const stack: Frame[] = [{ body: root }]
  const top = () => stack[stack.length - 1]!
  for (const token of tokens) {
    switch (token.t) {
      case 'text': {
        const body = top().body
        const last = body[body.length - 1]
        if (last?.kind === 'text') last.text += token.text
        else body.push({ kind: 'text', text: token.text })
        break
      }
      case 'node':
        top().body.push(token.node)
        break
      case 'comment':
        break
      case 'if': {
        const node: Node = { kind: 'if', branches: [{ condition: token.condition, body: [] }], otherwise: undefined }
        top().body.push(node)
        stack.push({ body: node.branches[0]!.body, node })
        if (stack.length > maxDepth) c.fail('Template nesting too deep')
        break
      }
      case 'foreach': {
        const node: Node = { kind: 'foreach', variable: token.variable, iterable: token.iterable, body: [] }
        top().body.push(node)
        stack.push({ body: node.body, node })
        if (stack.length > maxDepth) c.fail('Template nesting too deep')
        break
      }
      case 'elseif':
      case 'else': {
        const node = top().node
        if (node?.kind !== 'if' || node.otherwise !== undefined) c.fail(`#${token.t} without #if`)
        if (token.t === 'else') top().body = node.otherwise = []
        else if (token.t === 'elseif') {
          const branch = { condition: token.condition, body: [] }
          node.branches.push(branch)
          top().body = branch.body
        }
        break
      }
      case 'end':
        if (stack.length === 1) c.fail('#end without #if or #foreach')
        stack.pop()
        break
    }
  }
  if (stack.length > 1) throw new VtlError(`Encountered end of template: #${top().node?.kind ?? 'if'} needs an #end`)
  return root
}
