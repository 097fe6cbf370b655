// Decodes `Content-Encoding: aws-chunked` bodies as they stream: `<hex size>[;chunk-signature=…]\r\n
// <data>\r\n` … `0[;…]\r\n`, then trailer lines (`x-amz-checksum-crc32:…`) and a blank line. Both
// STREAMING-UNSIGNED-PAYLOAD-TRAILER (SDK v3's default for PutObject) and the signed
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] forms; chunk and trailer signatures are not verified.
import { s3Errors } from '../errors.ts'

/** A header line longer than this is not a chunk header: the body is not aws-chunked at all. */
const MAX_LINE = 4096

type State = 'size' | 'data' | 'data-crlf' | 'trailer' | 'done'

export class AwsChunkedDecoder {
  private state: State = 'size'
  private line = ''
  private remaining = 0
  private crlfSeen = 0
  readonly trailers: Record<string, string> = {}

  /** The payload bytes in `chunk` (views, not copies); throws IncompleteBody/InvalidRequest on bad framing. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = []
    let i = 0
    while (i < chunk.length) {
      switch (this.state) {
        case 'data': {
          const take = Math.min(this.remaining, chunk.length - i)
          out.push(chunk.subarray(i, i + take))
          i += take
          this.remaining -= take
          if (this.remaining === 0) this.state = 'data-crlf'
          break
        }
        case 'data-crlf': {
          const expected = this.crlfSeen === 0 ? 0x0d : 0x0a
          if (chunk[i] !== expected) throw malformed()
          i++
          if (++this.crlfSeen === 2) {
            this.crlfSeen = 0
            this.state = 'size'
          }
          break
        }
        case 'size':
        case 'trailer':
          i = this.readLine(chunk, i)
          break
        case 'done':
          // Anything after the final blank line is not part of the object.
          return out
      }
    }
    return out
  }

  /** At the end of the body: throws unless the final chunk and trailers arrived. */
  end(): Record<string, string> {
    if (this.state !== 'done') throw s3Errors.incompleteBody()
    return this.trailers
  }

  private readLine(chunk: Buffer, start: number): number {
    const newline = chunk.indexOf(0x0a, start)
    const stop = newline === -1 ? chunk.length : newline
    this.line += chunk.toString('latin1', start, stop)
    if (this.line.length > MAX_LINE) throw malformed()
    if (newline === -1) return chunk.length
    const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line
    this.line = ''
    if (this.state === 'size') this.sizeLine(line)
    else this.trailerLine(line)
    return newline + 1
  }

  private sizeLine(line: string): void {
    const hex = line.split(';', 1)[0]!.trim()
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw malformed()
    const size = parseInt(hex, 16)
    if (size === 0) {
      this.state = 'trailer'
      return
    }
    this.remaining = size
    this.state = 'data'
  }

  private trailerLine(line: string): void {
    if (line === '') {
      this.state = 'done'
      return
    }
    const colon = line.indexOf(':')
    if (colon === -1) throw malformed()
    this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
}

function malformed() {
  return s3Errors.invalidRequest('The chunked encoding of the request body is malformed.')
}

/** Whether the request body is aws-chunked, from its Content-Encoding or payload hash header. */
/**
 * Whether the body travels in aws-chunked framing: a STREAMING-* payload hash says so, or an
 * `aws-chunked` Content-Encoding together with x-amz-decoded-content-length. A `Content-Encoding:
 * aws-chunked` alone on a plain body is no framing: that body is stored as sent.
 */
export function isAwsChunked(headers: Readonly<Record<string, string>>): boolean {
  if ((headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')) return true
  const encoding = headers['content-encoding'] ?? ''
  return encoding.split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked') && headers['x-amz-decoded-content-length'] !== undefined
}

/** Content-Encoding as stored: verbatim, only the transfer-only `aws-chunked` token dropped (as AWS does). */
export function storedContentEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const tokens = value.split(',')
  if (!tokens.some((e) => e.trim().toLowerCase() === 'aws-chunked')) return value
  const kept = tokens.map((e) => e.trim()).filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked')
  return kept.length === 0 ? undefined : kept.join(',')
}
