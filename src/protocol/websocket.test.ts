// The WebSocket frame codec: RFC 6455's handshake example, masked and fragmented client frames, the
// control frames, and the limits and protocol errors that close a connection.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { acceptKey, encodeFrame, FrameReader, opcodes, validKey } from './websocket.ts'

const mask = Buffer.from([0x37, 0xfa, 0x21, 0x3d])
const limits = { maxFrameBytes: 32 * 1024, maxMessageBytes: 128 * 1024 }
const client = (opcode: number, text: string | Buffer, fin = true) => {
  const frame = encodeFrame(opcode, Buffer.isBuffer(text) ? text : Buffer.from(text), mask)
  if (!fin) frame[0] = frame[0]! & 0x7f
  return frame
}

describe('WebSocket framing', () => {
  it('answers the handshake as RFC 6455 §1.3 shows', () => {
    assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
    assert.ok(validKey('dGhlIHNhbXBsZSBub25jZQ=='))
    assert.ok(!validKey('short'))
    assert.ok(!validKey(undefined))
  })

  it('reads a masked text frame (RFC 6455 §5.7 "Hello") split across chunks', () => {
    const reader = new FrameReader(limits)
    const frame = Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
    assert.deepEqual(reader.push(frame.subarray(0, 4)), [])
    assert.deepEqual(reader.push(frame.subarray(4)), [{ kind: 'message', data: Buffer.from('Hello'), binary: false }])
  })

  it('joins fragments, answers control frames between them, and reads 16- and 64-bit lengths', () => {
    const reader = new FrameReader(limits)
    const events = reader.push(Buffer.concat([client(opcodes.text, 'Hel', false), client(opcodes.ping, 'p'), client(opcodes.continuation, 'lo')]))
    assert.deepEqual(events, [{ kind: 'ping', data: Buffer.from('p') }, { kind: 'message', data: Buffer.from('Hello'), binary: false }])
    const medium = Buffer.alloc(300, 7)
    assert.deepEqual(reader.push(client(opcodes.binary, medium)), [{ kind: 'message', data: medium, binary: true }])
    const large = Buffer.alloc(70_000, 1)
    const big = new FrameReader({ maxFrameBytes: 100_000, maxMessageBytes: 100_000 })
    assert.equal((big.push(client(opcodes.binary, large))[0] as { data: Buffer }).data.length, 70_000)
  })

  it('closes on a frame over the limit (1009), a message over it, an unmasked frame (1002), and reads the close frame', () => {
    assert.deepEqual(new FrameReader(limits).push(client(opcodes.text, Buffer.alloc(33 * 1024))), [{ kind: 'error', code: 1009, reason: 'Message too big' }])
    const fragments = new FrameReader({ maxFrameBytes: 10, maxMessageBytes: 15 })
    assert.deepEqual(fragments.push(Buffer.concat([client(opcodes.text, '0123456789', false), client(opcodes.continuation, '0123456789')])),
      [{ kind: 'error', code: 1009, reason: 'Message too big' }])
    assert.deepEqual(new FrameReader(limits).push(encodeFrame(opcodes.text, Buffer.from('x'))), [{ kind: 'error', code: 1002, reason: 'Protocol error' }])
    assert.deepEqual(new FrameReader(limits).push(client(opcodes.continuation, 'x')), [{ kind: 'error', code: 1002, reason: 'Protocol error' }])
    const close = Buffer.from([0x03, 0xe8, 0x62, 0x79, 0x65])
    const reader = new FrameReader(limits)
    assert.deepEqual(reader.push(client(opcodes.close, close)), [{ kind: 'close', code: 1000, reason: 'bye' }])
    assert.deepEqual(reader.push(client(opcodes.text, 'after')), [], 'nothing is read after the close')
  })

  it('writes unmasked server frames with the right length form', () => {
    assert.deepEqual(encodeFrame(opcodes.text, Buffer.from('Hello')), Buffer.from([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]))
    const medium = encodeFrame(opcodes.binary, Buffer.alloc(256))
    assert.deepEqual([...medium.subarray(0, 4)], [0x82, 126, 0x01, 0x00])
    const large = encodeFrame(opcodes.binary, Buffer.alloc(65_536))
    assert.deepEqual([...large.subarray(0, 10)], [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0])
  })
})
