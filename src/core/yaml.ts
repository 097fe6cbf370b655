// YAML as OpenAPI documents are written in (API Gateway's imports and exports), read into JSON values
// and written back. Nimbus has no runtime dependencies, so this is its own reader of the block style
// OpenAPI files use — mappings, sequences, plain/quoted scalars, `|`/`>` block scalars,
// single-line flow collections, comments. Anchors, aliases and tags are refused (YamlError).

export class YamlError extends Error {}

interface Line { indent: number; raw: string; no: number }

/** `text` without a trailing comment: `#` at the start or after a space, outside quotes. */
function stripComment(text: string): string {
  let quote = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote !== '') {
      if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++
        else quote = ''
      } else if (c === '\\' && quote === '"') i++
    } else if ((c === '"' || c === "'") && (i === 0 || ' :[{,-'.includes(text[i - 1]!))) quote = c
    else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) return text.slice(0, i).trimEnd()
  }
  return text.trimEnd()
}

const keyPattern = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]}&*!|>%@`,?-][^#]*?|-[^\s#]+?)\s*:(?:\s+|$)(.*)$/

export function parseYaml(source: string): unknown {
  const lines: Line[] = []
  source.split(/\r?\n/).forEach((raw, no) => {
    if (/^\s*\t/.test(raw)) throw new YamlError(`line ${no + 1}: tabs can't indent YAML`)
    const indent = raw.length - raw.trimStart().length
    lines.push({ indent, raw: raw.slice(indent), no })
  })
  const reader = new Reader(lines)
  reader.skipBlank()
  if (reader.peek()?.raw.startsWith('---') === true) reader.at++
  const value = reader.block(0)
  reader.skipBlank()
  const rest = reader.peek()
  if (rest !== undefined && rest.raw !== '...') throw new YamlError(`line ${rest.no + 1}: unexpected content`)
  return value
}

class Reader {
  at = 0
  private readonly lines: Line[]
  constructor(lines: Line[]) { this.lines = lines }

  peek(): Line | undefined { return this.lines[this.at] }

  skipBlank(): void {
    while (this.at < this.lines.length && stripComment(this.lines[this.at]!.raw) === '') this.at++
  }

  /** The node whose first line is indented at least `min`; null when there is none. */
  block(min: number): unknown {
    this.skipBlank()
    const line = this.peek()
    if (line === undefined || line.indent < min) return null
    const text = stripComment(line.raw)
    if (text === '-' || text.startsWith('- ')) return this.sequence(line.indent)
    if (keyPattern.test(text)) return this.mapping(line.indent)
    this.at++
    return this.inline(this.continued(text, line.indent - 1), line)
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = []
    for (;;) {
      this.skipBlank()
      const line = this.peek()
      if (line === undefined || line.indent !== indent) break
      const text = stripComment(line.raw)
      if (text !== '-' && !text.startsWith('- ')) break
      const rest = line.raw.slice(1).trimStart()
      if (stripComment(rest) === '') {
        this.at++
        items.push(this.block(indent + 1))
      } else {
        // `- key: value` opens a node indented where its text starts: the line is read again as that node.
        this.lines[this.at] = { indent: indent + line.raw.length - rest.length, raw: rest, no: line.no }
        items.push(this.block(indent + 1))
      }
    }
    return items
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {}
    for (;;) {
      this.skipBlank()
      const line = this.peek()
      if (line === undefined || line.indent !== indent) break
      const match = keyPattern.exec(stripComment(line.raw))
      if (match === null) break
      const key = String(scalar(match[1]!.trim(), line))
      if (Object.hasOwn(map, key)) throw new YamlError(`line ${line.no + 1}: duplicate key ${key}`)
      const rest = match[2]!
      this.at++
      if (rest === '') {
        this.skipBlank()
        const next = this.peek()
        // A sequence may sit at its key's own indent.
        const sameIndentList = next !== undefined && next.indent === indent && /^-(\s|$)/.test(stripComment(next.raw))
        map[key] = sameIndentList ? this.sequence(indent) : this.block(indent + 1)
      } else if (/^[|>][+-]?\d?$/.test(rest)) {
        map[key] = this.blockScalar(rest, indent)
      } else {
        map[key] = this.inline(this.continued(rest, indent), line)
      }
    }
    return map
  }

  /** A plain or flow value may continue on more-indented lines (folded with spaces). */
  private continued(text: string, indent: number): string {
    let value = text
    for (;;) {
      const line = this.peek()
      if (line === undefined || line.indent <= indent) return value
      const more = stripComment(line.raw)
      if (more === '') return value
      if (!value.startsWith('[') && !value.startsWith('{') && keyPattern.test(more)) return value
      value += ' ' + more
      this.at++
    }
  }

  /** `|` keeps line breaks, `>` folds them; `-` strips the final break, `+` keeps every trailing one. */
  private blockScalar(header: string, indent: number): string {
    const body: string[] = []
    let contentIndent = -1
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!
      if (line.raw === '') { body.push(''); this.at++; continue }
      if (line.indent <= indent) break
      if (contentIndent < 0) contentIndent = line.indent
      if (line.indent < contentIndent) break
      body.push(' '.repeat(line.indent - contentIndent) + line.raw)
      this.at++
    }
    let trailing = 0
    while (body.length > 0 && body[body.length - 1] === '') { body.pop(); trailing++ }
    let text = header.startsWith('|') ? body.join('\n')
      : body.reduce((acc, l, i) => (i === 0 ? l : acc + (l === '' || body[i - 1] === '' || l.startsWith(' ') ? '\n' : ' ') + l), '')
    if (header.includes('+')) text += '\n'.repeat(trailing + 1)
    else if (!header.includes('-') && text !== '') text += '\n'
    return text
  }

  private inline(text: string, line: Line): unknown {
    if (text.startsWith('[') || text.startsWith('{')) {
      const flow = new Flow(text, line)
      const value = flow.value()
      flow.end()
      return value
    }
    return scalar(text, line)
  }
}

/** Flow collections (`[a, b]`, `{a: 1}`) as JSON-like text with YAML's scalars. */
class Flow {
  private i = 0
  private readonly text: string
  private readonly line: Line
  constructor(text: string, line: Line) {
    this.text = text
    this.line = line
  }

  private fail(): never { throw new YamlError(`line ${this.line.no + 1}: bad flow collection`) }
  private space(): void { while (this.text[this.i] === ' ') this.i++ }

  end(): void {
    this.space()
    if (this.i !== this.text.length) this.fail()
  }

  value(): unknown {
    this.space()
    const c = this.text[this.i]
    if (c === '[') {
      this.i++
      const items: unknown[] = []
      for (this.space(); this.text[this.i] !== ']'; this.space()) {
        items.push(this.value())
        this.space()
        if (this.text[this.i] === ',') this.i++
        else if (this.text[this.i] !== ']') this.fail()
      }
      this.i++
      return items
    }
    if (c === '{') {
      this.i++
      const map: Record<string, unknown> = {}
      for (this.space(); this.text[this.i] !== '}'; this.space()) {
        const key = String(this.value())
        this.space()
        if (this.text[this.i] !== ':') this.fail()
        this.i++
        map[key] = this.value()
        this.space()
        if (this.text[this.i] === ',') this.i++
        else if (this.text[this.i] !== '}') this.fail()
      }
      this.i++
      return map
    }
    const start = this.i
    if (c === '"' || c === "'") {
      // Inside '…' a quote is written twice (`'it''s'`), inside "…" escaped with a backslash.
      for (this.i++; this.i < this.text.length; this.i++) {
        const ch = this.text[this.i]
        if (c === '"' && ch === '\\') this.i++
        else if (c === "'" && ch === "'" && this.text[this.i + 1] === "'") this.i++
        else if (ch === c) break
      }
      if (this.i >= this.text.length) this.fail()
      this.i++
    } else {
      while (this.i < this.text.length && !',]}'.includes(this.text[this.i]!) && !(this.text[this.i] === ':' && this.text[this.i + 1] === ' ')) this.i++
    }
    return scalar(this.text.slice(start, this.i).trim(), this.line)
  }
}

function scalar(text: string, line: Line): unknown {
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 2) throw new YamlError(`line ${line.no + 1}: unterminated string`)
    try {
      return JSON.parse(text.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\'/g, "'"))
    } catch {
      throw new YamlError(`line ${line.no + 1}: bad escape in a string`)
    }
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new YamlError(`line ${line.no + 1}: unterminated string`)
    return text.slice(1, -1).replace(/''/g, "'")
  }
  if (/^[&*!]/.test(text)) throw new YamlError(`line ${line.no + 1}: anchors, aliases and tags are not supported`)
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null
  if (/^(true|True|TRUE)$/.test(text)) return true
  if (/^(false|False|FALSE)$/.test(text)) return false
  if (/^[-+]?\d+$/.test(text)) return Number(text)
  if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16)
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text)
  return text
}

/** Writes a JSON value as block-style YAML (strings quoted whenever a plain scalar would read otherwise). */
export function writeYaml(value: unknown): string {
  return `${emit(value, 0).replace(/^\n/, '')}\n`
}

const plainSafe = /^[A-Za-z_/$][\w ./{}()$+-]*$/

function text(s: string): string {
  return plainSafe.test(s) && !s.endsWith(' ') && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(s) ? s : JSON.stringify(s)
}

function emit(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent)
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []'
    return value.map((v) => `\n${pad}-${isCollection(v) ? emit(v, indent + 2).replace(/^\n\s*/, ' ') : emit(v, indent + 2)}`).join('')
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    if (entries.length === 0) return ' {}'
    return entries.map(([k, v]) => `\n${pad}${text(k)}:${emit(v, indent + 2)}`).join('')
  }
  if (typeof value === 'string') return ` ${text(value)}`
  return ` ${value === null || value === undefined ? 'null' : String(value)}`
}

function isCollection(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0
}
