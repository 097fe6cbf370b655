// The Range header S3 honours: one byte range, `bytes=a-b`, `bytes=a-` or the suffix `bytes=-n`.
// Anything it can't read (several ranges, another unit) is ignored and the whole object sent.
import { s3Errors } from './errors.ts'

export interface ByteRange {
  start: number
  /** Exclusive. */
  end: number
}

export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (match === null) return undefined
  const [, first, last] = match
  if (first === '' && last === '') return undefined
  if (first === '') {
    const suffix = Number(last)
    if (suffix === 0 || size === 0) throw s3Errors.invalidRange(header, size)
    return { start: Math.max(0, size - suffix), end: size }
  }
  const start = Number(first)
  if (start >= size) throw s3Errors.invalidRange(header, size)
  const end = last === '' ? size : Number(last) + 1
  // An inverted range (`bytes=5-2`) is ignored, as HTTP says.
  if (end <= start) return undefined
  return { start, end: Math.min(end, size) }
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end - 1}/${size}`
}
