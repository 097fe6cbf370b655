// AWS's binary event-stream framing (application/vnd.amazon.eventstream), what an operation with an
// event-stream output (Kinesis SubscribeToShard) answers: a prelude (total and header lengths, CRC32),
// string headers, the payload, and a CRC32 of the whole message.
import { Readable } from 'node:stream'
import { crc32 } from 'node:zlib'

export const eventStreamContentType = 'application/vnd.amazon.eventstream'

/** One message: headers are all strings (type 7), which is all event and exception messages need. */
export function encodeEventMessage(headers: Readonly<Record<string, string>>, payload: Buffer): Buffer {
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8')
    const v = Buffer.from(value, 'utf8')
    const head = Buffer.allocUnsafe(1 + n.length + 1 + 2)
    head.writeUInt8(n.length, 0)
    n.copy(head, 1)
    head.writeUInt8(7, 1 + n.length)
    head.writeUInt16BE(v.length, 2 + n.length)
    parts.push(head, v)
  }
  const headerBytes = Buffer.concat(parts)
  const total = 12 + headerBytes.length + payload.length + 4
  const message = Buffer.allocUnsafe(total)
  message.writeUInt32BE(total, 0)
  message.writeUInt32BE(headerBytes.length, 4)
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8)
  headerBytes.copy(message, 12)
  payload.copy(message, 12 + headerBytes.length)
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4)
  return message
}

/** Decodes one message (tests read what Nimbus sent); throws on a bad length or checksum. */
export function decodeEventMessage(bytes: Buffer): { headers: Record<string, string>; payload: Buffer; length: number } {
  const total = bytes.readUInt32BE(0)
  const headerLength = bytes.readUInt32BE(4)
  if (crc32(bytes.subarray(0, 8)) !== bytes.readUInt32BE(8)) throw new Error('event-stream prelude CRC mismatch')
  if (crc32(bytes.subarray(0, total - 4)) !== bytes.readUInt32BE(total - 4)) throw new Error('event-stream message CRC mismatch')
  const headers: Record<string, string> = {}
  let at = 12
  while (at < 12 + headerLength) {
    const n = bytes.readUInt8(at)
    const name = bytes.subarray(at + 1, at + 1 + n).toString('utf8')
    const length = bytes.readUInt16BE(at + 2 + n)
    headers[name] = bytes.subarray(at + 4 + n, at + 4 + n + length).toString('utf8')
    at += 4 + n + length
  }
  return { headers, payload: bytes.subarray(12 + headerLength, total - 4), length: total }
}

export interface StreamedEvent {
  /** The event-stream union member ("SubscribeToShardEvent"). */
  type: string
  payload: Buffer
}

/**
 * The response body of an event-stream operation: an `initial-response` message first (the SDKs
 * wait for one before handing the stream over), then each event; an error thrown by the source
 * becomes an exception message and ends the stream.
 */
export function eventStreamBody(initial: Buffer, contentType: string, events: AsyncIterable<StreamedEvent>,
  exception: (error: unknown) => { code: string; payload: Buffer }): Readable {
  async function* messages(): AsyncGenerator<Buffer> {
    yield encodeEventMessage({ ':message-type': 'event', ':event-type': 'initial-response', ':content-type': contentType }, initial)
    try {
      for await (const event of events) {
        yield encodeEventMessage({ ':message-type': 'event', ':event-type': event.type, ':content-type': contentType }, event.payload)
      }
    } catch (error) {
      const { code, payload } = exception(error)
      yield encodeEventMessage({ ':message-type': 'exception', ':exception-type': code, ':content-type': contentType }, payload)
    }
  }
  return Readable.from(messages(), { objectMode: false })
}
