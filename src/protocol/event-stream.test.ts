// Event-stream framing: what encodeEventMessage writes decodes back with valid CRCs, byte for byte
// as AWS frames it (prelude, string headers of type 7, payload, message CRC).
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { decodeEventMessage, encodeEventMessage } from './event-stream.ts'

it('frames headers and payload with both CRC32s and decodes them back', () => {
  const message = encodeEventMessage({ ':message-type': 'event', ':event-type': 'SubscribeToShardEvent' }, Buffer.from('{"a":1}'))
  assert.equal(message.readUInt32BE(0), message.length)
  // Header: name length, name, type 7 (string), value length (u16), value.
  assert.equal(message[12], ':message-type'.length)
  assert.equal(message[12 + 1 + ':message-type'.length], 7)
  const decoded = decodeEventMessage(message)
  assert.deepEqual(decoded.headers, { ':message-type': 'event', ':event-type': 'SubscribeToShardEvent' })
  assert.equal(decoded.payload.toString(), '{"a":1}')
  const corrupt = Buffer.from(message)
  corrupt[corrupt.length - 6]! ^= 1
  assert.throws(() => decodeEventMessage(corrupt), /CRC/)
})
