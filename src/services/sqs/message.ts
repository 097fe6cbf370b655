// A message as SQS keeps it, and the digests AWS computes over it (SDKs verify them).
import { createHash, hash } from 'node:crypto'
import type { MessageSystemAttributeValue } from './generated/types.ts'

export type { Attributes } from './port.ts'
import type { Attributes } from './port.ts'
export type SystemAttributes = Record<string, MessageSystemAttributeValue>

export interface Message {
  readonly id: string
  readonly body: string
  readonly bodyMd5: string
  readonly attributes: Attributes | undefined
  readonly attributesMd5: string | undefined
  readonly systemAttributes: SystemAttributes | undefined
  readonly systemAttributesMd5: string | undefined
  readonly senderId: string
  readonly sentAt: number
  /** Retention counts from here: a standard DLQ keeps the original, a FIFO DLQ resets it. */
  enqueuedAt: number
  readonly groupId: string | undefined
  readonly dedupId: string | undefined
  sequenceNumber: string | undefined
  deadLetterSourceArn: string | undefined
  /** Until then the message is delayed (never received) or in flight (received). */
  visibleAt: number
  receiveCount: number
  firstReceivedAt: number | undefined
  lastReceivedAt: number | undefined
  /** Increments on every receive; a receipt handle names the receive it came from. */
  receipt: number
  deleted: boolean
  /** Sitting in the queue's pending set (delayed or in flight) rather than among the visible. */
  hidden: boolean
  /** Which slot of the visible list holds the message; older slots are stale. */
  readyToken: number
  /** Bytes counted against MaximumMessageSize. */
  readonly size: number
}

export function md5Hex(data: string | Uint8Array): string {
  return hash('md5', data, 'hex')
}

/**
 * AWS's digest of message attributes: names sorted, each as length-prefixed name, length-prefixed
 * data type, a transport byte (1 string, 2 binary) and the length-prefixed value bytes.
 */
export function attributesMd5(attributes: Attributes | SystemAttributes | undefined): string | undefined {
  if (attributes === undefined) return undefined
  const names = Object.keys(attributes).sort()
  if (names.length === 0) return undefined
  const md5 = createHash('md5')
  for (const name of names) {
    const value = attributes[name]!
    lengthPrefixed(md5, Buffer.from(name, 'utf8'))
    lengthPrefixed(md5, Buffer.from(value.DataType, 'utf8'))
    if (value.DataType.startsWith('Binary')) {
      md5.update(Uint8Array.of(2))
      lengthPrefixed(md5, Buffer.from(value.BinaryValue ?? new Uint8Array(0)))
    } else {
      md5.update(Uint8Array.of(1))
      lengthPrefixed(md5, Buffer.from(value.StringValue ?? '', 'utf8'))
    }
  }
  return md5.digest('hex')
}

function lengthPrefixed(hash: ReturnType<typeof createHash>, bytes: Buffer): void {
  const length = Buffer.allocUnsafe(4)
  length.writeUInt32BE(bytes.length, 0)
  hash.update(length)
  hash.update(bytes)
}

/** Bytes of the body plus every attribute's name, type and value, as AWS counts a message's size. */
export function messageSize(body: string, attributes: Attributes | undefined): number {
  let size = Buffer.byteLength(body, 'utf8')
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType, 'utf8')
    size += value.BinaryValue !== undefined ? value.BinaryValue.length : Buffer.byteLength(value.StringValue ?? '', 'utf8')
  }
  return size
}

/** Keeps only the attributes a receive asked for: names, "All", ".*" or prefixes like "foo.*". */
export function selectAttributes(attributes: Attributes | undefined, wanted: readonly string[] | undefined): Attributes | undefined {
  if (attributes === undefined || wanted === undefined || wanted.length === 0) return undefined
  if (wanted.includes('All') || wanted.includes('.*')) return attributes
  const out: Attributes = {}
  let any = false
  for (const [name, value] of Object.entries(attributes)) {
    const match = wanted.some((w) => (w.endsWith('.*') ? name.startsWith(w.slice(0, -1)) : w === name))
    if (match) {
      out[name] = value
      any = true
    }
  }
  return any ? out : undefined
}
