// jq's `@format` string filters: @text, @json, @base64, @base64d, @csv, @tsv, @html, @uri, @sh.
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
