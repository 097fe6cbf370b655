// Minimal XML writing for query and rest-xml responses.

const textEscapes: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;',
}

/**
 * Escapes text content. `"` and `'` are escaped as SQS does, and `\r` as `&#xD;` because an XML
 * parser would otherwise fold `\r\n` into `\n` and the body's MD5 would no longer match.
 */
export function escapeXml(text: string): string {
  return /[&<>"'\r]/.test(text) ? text.replace(/[&<>"'\r]/g, (c) => textEscapes[c]!) : text
}

export class XmlWriter {
  private readonly parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>']

  open(name: string, attributes?: Record<string, string>): this {
    let tag = `<${name}`
    if (attributes !== undefined) {
      for (const [k, v] of Object.entries(attributes)) tag += ` ${k}="${escapeXml(v)}"`
    }
    this.parts.push(tag + '>')
    return this
  }
  close(name: string): this {
    this.parts.push(`</${name}>`)
    return this
  }
  text(value: string): this {
    this.parts.push(escapeXml(value))
    return this
  }
  leaf(name: string, value: string): this {
    this.parts.push(`<${name}>${escapeXml(value)}</${name}>`)
    return this
  }
  empty(name: string): this {
    this.parts.push(`<${name}/>`)
    return this
  }
  toString(): string {
    return this.parts.join('')
  }
}
