// jq's `@format` string filters: @text, @json, @base64, @base64d, @base32, @base32d, @csv, @tsv, @html, @uri, @sh.
import { fail, shown, type Json } from './values.ts'

const text = (v: Json) => typeof v === 'string' ? v : JSON.stringify(v)

function row(v: Json, name: string, cell: (x: Json) => string, sep: string): string {
  if (!Array.isArray(v)) return fail(`${shown(v)} cannot be ${name}-formatted, only an array can be`)
  return v.map((x) => {
    if (Array.isArray(x) || (x !== null && typeof x === 'object')) return fail(`${shown(x)} is not valid in a ${name} row`)
    return cell(x)
  }).join(sep)
}

export function format(fmt: string, v: Json): string {
  switch (fmt) {
    case 'text': return text(v)
    case 'json': return JSON.stringify(v)
    case 'base64': return Buffer.from(text(v), 'utf8').toString('base64')
    case 'base64d': {
      const s = text(v)
      const decoded = Buffer.from(s, 'base64')
      if (s.length > 0 && decoded.length === 0) fail(`${shown(v)} is not valid base64 data`)
      return decoded.toString('utf8')
    }
    case 'base32': return base32(Buffer.from(text(v), 'utf8'))
    case 'base32d': return unbase32(text(v)).toString('utf8')
    case 'html': return text(v).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&quot;' })[c]!)
    case 'uri': return [...Buffer.from(text(v), 'utf8')].map((b) => /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')
    case 'csv': return row(v, 'csv', (x) => typeof x === 'string' ? `"${x.replace(/"/g, '""')}"` : x === null ? '' : String(x), ',')
    case 'tsv': return row(v, 'tsv', (x) => typeof x === 'string' ? x.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : x === null ? '' : String(x), '\t')
    case 'sh': {
      const quote = (x: Json) => {
        if (Array.isArray(x) || (x !== null && typeof x === 'object')) return fail(`${shown(x)} can not be escaped for shell`)
        return typeof x === 'string' ? `'${x.replace(/'/g, "'\\''")}'` : String(x)
      }
      return Array.isArray(v) ? v.map(quote).join(' ') : quote(v)
    }
  }
  return fail(`${fmt} is not a valid format`)
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32, padded with `=` to a multiple of 8 characters. */
function base32(bytes: Buffer): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=')
}

/** Decodes base32 (padding optional; a character outside the alphabet ends the data). */
function unbase32(s: string): Buffer {
  const out: number[] = []
  let bits = 0
  let value = 0
  for (const c of s.replace(/=+$/, '')) {
    const d = BASE32.indexOf(c.toUpperCase())
    if (d < 0) break
    value = ((value << 5) | d) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}
