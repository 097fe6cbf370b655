// The runtime pipe's framing on its own: frames split anywhere, answers over 6 MB read and dropped,
// anything not the bootstrap's protocol ignored, and an invocation as the bootstrap decodes it.
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { MAX_RESPONSE_BYTES } from '../../src/runtime/runtime-api.ts'
import { INVOKE, invokeHeader, LOG, POST, postHeader, RuntimePipe } from '../../src/runtime/runtime-pipe.ts'

function frame(kind: number, header: object | string | undefined, body: Buffer | string): Buffer {
  const head = header === undefined ? Buffer.alloc(0) : Buffer.from(typeof header === 'string' ? header : JSON.stringify(header))
  const data = typeof body === 'string' ? Buffer.from(body) : body
  const prefix = Buffer.alloc(9)
  prefix.writeUInt8(kind, 0)
  prefix.writeUInt32BE(head.length, 1)
  prefix.writeUInt32BE(data.length, 5)
  return Buffer.concat([prefix, head, data])
}

function pipe() {
  const toRuntime = new PassThrough()
  const fromRuntime = new PassThrough()
  const heard: string[] = []
  const runtimePipe = new RuntimePipe(toRuntime, fromRuntime, {
    post: (path, body, errorType) => heard.push(`post ${path} ${body === undefined ? '<too large>' : body.toString()} ${errorType ?? '-'}`),
    next: () => heard.push('next'),
    output: (line) => heard.push(`output ${line}`),
    memory: (kb) => heard.push(`memory ${kb}`),
  })
  return { toRuntime, fromRuntime, heard, runtimePipe }
}

describe('runtime pipe', () => {
  it('reads frames however the bytes are split', () => {
    const bytes = Buffer.concat([
      frame(LOG, undefined, 'a line\n'),
      frame(LOG, undefined, 'é split\nand half'),
      frame(LOG, undefined, ' a line\n'),
      frame(POST, { path: 'invocation/r1/response', next: true, rss: 51200 }, '{"ok":true}'),
      frame(POST, { path: 'invocation/r2/error', errorType: 'TypeError' }, '{}'),
      frame(POST, { next: true }, ''),
      frame(POST, '1\n51300\ninvocation/r3/response\n', '"é"'),
      frame(POST, '\n51400\ninvocation/r4/error\nMy\nError', '{}'),
      frame(POST, '1\n\n\n', ''),
    ])
    const expected = [
      'output a line', 'output é split', 'output and half a line', 'memory 51200', 'post invocation/r1/response {"ok":true} -', 'next',
      'post invocation/r2/error {} TypeError', 'next', 'memory 51300', 'post invocation/r3/response "é" -', 'next',
      'memory 51400', 'post invocation/r4/error {} My\nError', 'next',
    ]
    for (const size of [1, 2, 7, 9, 10, 64, bytes.length]) {
      const { fromRuntime, heard } = pipe()
      for (let at = 0; at < bytes.length; at += size) fromRuntime.write(bytes.subarray(at, at + size))
      assert.deepEqual(heard, expected, `chunks of ${size}`)
    }
  })

  it('drops an answer over 6 MB as too large, and reads on', () => {
    const { fromRuntime, heard } = pipe()
    fromRuntime.write(frame(POST, { path: 'invocation/big/response' }, Buffer.alloc(MAX_RESPONSE_BYTES + 1, 0x61)))
    fromRuntime.write(frame(POST, { path: 'invocation/ok/response' }, Buffer.alloc(MAX_RESPONSE_BYTES, 0x61)))
    assert.equal(heard[0], 'post invocation/big/response <too large> -')
    assert.equal(heard[1]!.length, 'post invocation/ok/response  -'.length + MAX_RESPONSE_BYTES)
  })

  it('stops listening at bytes that are not the protocol', () => {
    const { fromRuntime, heard } = pipe()
    fromRuntime.write(Buffer.from('hello from the handler\n'))
    fromRuntime.write(frame(POST, { path: 'invocation/r/response', next: true }, '1'))
    assert.deepEqual(heard, [])
  })

  it('sends an invocation as its Lambda-Runtime-* headers and the event', () => {
    const { toRuntime, runtimePipe } = pipe()
    const event = Buffer.from('{"big":"' + 'e'.repeat(100_000) + '"}')
    runtimePipe.deliver({ requestId: 'r1', payload: event, deadlineMs: 1_700_000_000_000, invokedFunctionArn: 'arn:f', traceId: 'Root=1', clientContext: '{"c":1}' })
    const bytes = toRuntime.read() as Buffer
    assert.equal(bytes.readUInt8(0), INVOKE)
    const headerBytes = bytes.readUInt32BE(1)
    assert.equal(bytes.readUInt32BE(5), event.length)
    assert.equal(bytes.toString('utf8', 9, 9 + headerBytes), 'r1\n1700000000000\narn:f\nRoot=1\n{"c":1}')
    assert.ok(bytes.subarray(9 + headerBytes).equals(event))
  })

  it('reads a POST header as lines (next, rss, path, errorType with its newlines) or JSON', () => {
    assert.deepEqual(postHeader('1\n7\ninvocation/r/response\n'), { next: true, rss: 7, path: 'invocation/r/response' })
    assert.deepEqual(postHeader('\n\ninit/error\nRuntime.X\ny'), { next: false, path: 'init/error', errorType: 'Runtime.X\ny' })
    assert.deepEqual(postHeader('{"path":"p\\nq","rss":3}'), { path: 'p\nq', rss: 3 })
    assert.deepEqual(postHeader('1\n2'), {})
    assert.deepEqual(postHeader('{bad'), {})
  })

  it('writes the header as lines, the client context last with its own newlines, or as JSON when a value holds a newline', () => {
    const d = { requestId: 'r1', payload: Buffer.alloc(0), deadlineMs: 5, invokedFunctionArn: 'arn:f', traceId: 'Root=1' }
    assert.equal(invokeHeader(d), 'r1\n5\narn:f\nRoot=1')
    assert.equal(invokeHeader({ ...d, clientContext: '{\n"c": 1\n}' }), 'r1\n5\narn:f\nRoot=1\n{\n"c": 1\n}')
    assert.deepEqual(JSON.parse(invokeHeader({ ...d, traceId: 'Root=1\nx' })), {
      'lambda-runtime-aws-request-id': 'r1', 'lambda-runtime-deadline-ms': '5', 'lambda-runtime-invoked-function-arn': 'arn:f', 'lambda-runtime-trace-id': 'Root=1\nx',
    })
    assert.ok(invokeHeader({ ...d, requestId: '{r1' }).startsWith('{"lambda-runtime-aws-request-id":"{r1"'))
  })
})
