// Timestamp formats AWS protocols use: epoch seconds (JSON), ISO 8601 (query/XML), RFC 822 (headers).
import type { TimestampFormat } from './model.ts'

export function formatTimestamp(date: Date, format: TimestampFormat): string | number {
  switch (format) {
    case 'unixTimestamp':
      return date.getTime() / 1000
    case 'rfc822':
      return date.toUTCString()
    case 'iso8601':
      return date.toISOString().replace(/\.000Z$/, 'Z')
  }
}

/**
 * Accepts epoch seconds (number or numeric string), ISO 8601 and RFC 822; undefined when unparseable
 * or outside what a Date can hold (±8.64e15 ms: `2**64` seconds would be an Invalid Date that
 * throws as soon as anything formats it).
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? valid(new Date(value * 1000)) : undefined
  if (typeof value !== 'string' || value === '') return undefined
  if (/^-?\d+(\.\d+)?$/.test(value)) return valid(new Date(Number(value) * 1000))
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : new Date(ms)
}

function valid(date: Date): Date | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date
}
