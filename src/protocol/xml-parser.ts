// A small, safe XML parser for restXml request bodies: elements, attributes, text, CDATA and the
// predefined and numeric entities. DOCTYPE and entity declarations are refused outright, so there
// is no entity expansion to abuse (billion laughs, external entities). No dependency.

export interface XmlElement {
  /** The local name: a namespace prefix is dropped, since AWS matches names without namespaces. */
  readonly name: string
  /** Attributes by their name as written (`xsi:type`, `xmlns`). */
  readonly attributes: Readonly<Record<string, string>>
  readonly children: XmlElement[]
  /** The element's text and CDATA, concatenated (whitespace between child elements included). */
  text: string
}

export class XmlSyntaxError extends Error {}

const MAX_DEPTH = 100
const predefined: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
const namePattern = /[^\s/>=<"'!?]+/y
const attributePattern = /\s*([^\s/>=<"'!?]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y

/** Parses a document into its root element. Throws XmlSyntaxError when it isn't well formed. */
export function parseXml(source: string): XmlElement {
  const parser = new Parser(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source)
  parser.skipMisc()
  const root = parser.element(0)
  parser.skipMisc()
  if (!parser.atEnd()) throw new XmlSyntaxError('content after the root element')
  return root
}

/** Replaces entity and character references; refuses any other named entity. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new XmlSyntaxError(`unterminated reference &${ref}`)
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      const valid = /^#(x[0-9a-fA-F]+|X[0-9a-fA-F]+|[0-9]+)$/.test(ref) && code <= 0x10ffff
      if (!valid) throw new XmlSyntaxError(`invalid character reference &${ref};`)
      return String.fromCodePoint(code)
    }
    const char = predefined[ref]
    if (char === undefined) throw new XmlSyntaxError(`undeclared entity &${ref};`)
    return char
  })
}

/** XML folds literal \r\n and \r to \n before parsing; only `&#xD;` keeps a carriage return. */
function normaliseNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
}

function localName(name: string): string {
  const colon = name.indexOf(':')
  return colon === -1 ? name : name.slice(colon + 1)
}

class Parser {
  private pos = 0
  private readonly src: string
  constructor(src: string) {
    this.src = src
  }

  atEnd(): boolean {
    return this.pos >= this.src.length
  }

  /** Skips whitespace, the XML declaration, processing instructions and comments; refuses DOCTYPE. */
  skipMisc(): void {
    for (;;) {
      while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++
      if (this.src.startsWith('<?', this.pos)) this.skipPast('?>')
      else if (this.src.startsWith('<!--', this.pos)) this.skipPast('-->')
      else if (this.src.startsWith('<!', this.pos)) throw new XmlSyntaxError('DOCTYPE and entity declarations are not allowed')
      else return
    }
  }

  element(depth: number): XmlElement {
    if (depth > MAX_DEPTH) throw new XmlSyntaxError('elements nested too deeply')
    if (this.src[this.pos] !== '<') throw new XmlSyntaxError(`expected an element at offset ${this.pos}`)
    this.pos++
    const qualified = this.name()
    const attributes: Record<string, string> = {}
    for (;;) {
      attributePattern.lastIndex = this.pos
      const match = attributePattern.exec(this.src)
      if (match === null) break
      const raw = match[2] ?? match[3] ?? ''
      // Attribute-value normalisation: literal whitespace characters become spaces.
      attributes[match[1]!] = decodeEntities(raw.replace(/[\t\n\r]/g, ' '))
      this.pos = attributePattern.lastIndex
    }
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos++
    const element: XmlElement = { name: localName(qualified), attributes, children: [], text: '' }
    if (this.src.startsWith('/>', this.pos)) {
      this.pos += 2
      return element
    }
    if (this.src[this.pos] !== '>') throw new XmlSyntaxError(`malformed start tag <${qualified}>`)
    this.pos++
    this.content(element, depth)
    const close = this.name()
    if (close !== qualified) throw new XmlSyntaxError(`</${close}> does not close <${qualified}>`)
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos++
    if (this.src[this.pos] !== '>') throw new XmlSyntaxError(`malformed end tag </${close}>`)
    this.pos++
    return element
  }

  /** Reads children and text up to and including the `</` of the element's end tag. */
  private content(element: XmlElement, depth: number): void {
    const text: string[] = []
    for (;;) {
      const lt = this.src.indexOf('<', this.pos)
      if (lt === -1) throw new XmlSyntaxError(`<${element.name}> is never closed`)
      if (lt > this.pos) text.push(decodeEntities(normaliseNewlines(this.src.slice(this.pos, lt))))
      this.pos = lt
      if (this.src.startsWith('</', lt)) {
        this.pos += 2
        element.text = text.join('')
        return
      }
      if (this.src.startsWith('<![CDATA[', lt)) {
        const end = this.src.indexOf(']]>', lt + 9)
        if (end === -1) throw new XmlSyntaxError('unterminated CDATA section')
        text.push(normaliseNewlines(this.src.slice(lt + 9, end)))
        this.pos = end + 3
      } else if (this.src.startsWith('<!--', lt)) {
        this.skipPast('-->')
      } else if (this.src.startsWith('<?', lt)) {
        this.skipPast('?>')
      } else if (this.src.startsWith('<!', lt)) {
        throw new XmlSyntaxError('DOCTYPE and entity declarations are not allowed')
      } else {
        element.children.push(this.element(depth + 1))
      }
    }
  }

  private name(): string {
    namePattern.lastIndex = this.pos
    const match = namePattern.exec(this.src)
    if (match === null) throw new XmlSyntaxError(`expected a name at offset ${this.pos}`)
    this.pos = namePattern.lastIndex
    return match[0]
  }

  private skipPast(terminator: string): void {
    const end = this.src.indexOf(terminator, this.pos)
    if (end === -1) throw new XmlSyntaxError(`missing ${terminator}`)
    this.pos = end + terminator.length
  }
}
