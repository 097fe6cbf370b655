// Output → CloudWatch events: line splitting, AWS's \r convention, stream names, REPORT lines.
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, it } from 'node:test'
import { ManualClock } from '../../src/core/clock.ts'
import { captureLines, lineEvents, LogStreamWriter, logStreamName, reportLine } from '../../src/runtime/log-capture.ts'
import { FakeLogSink, waitFor } from './helpers.ts'

describe('log capture', () => {
  it('splits chunks into lines, keeps partial lines and multi-byte characters whole', async () => {
    const stream = new PassThrough()
    const lines: string[] = []
    captureLines(stream, (line) => lines.push(line))
    const euro = Buffer.from('€')
    stream.write('first\nsec')
    stream.write(Buffer.concat([Buffer.from('ond '), euro.subarray(0, 1)]))
    stream.write(Buffer.concat([euro.subarray(1), Buffer.from('\r\nmulti\rline message\nlast without newline')]))
    stream.end()
    await new Promise((resolve) => stream.on('end', resolve))
    assert.deepEqual(lines, ['first', 'second €', 'multi\nline message', 'last without newline'])
  })

  it('names streams YYYY/MM/DD/[version]id by the clock', () => {
    assert.equal(logStreamName(Date.UTC(2024, 0, 5, 23, 59), '$LATEST', 'a'.repeat(32)), `2024/01/05/[$LATEST]${'a'.repeat(32)}`)
    assert.equal(logStreamName(Date.UTC(2024, 11, 31), '7', 'b'), '2024/12/31/[7]b')
  })

  it('writes REPORT as AWS does', () => {
    assert.equal(reportLine({ requestId: 'r', durationMs: 12.345, memoryMb: 128, maxMemoryUsedMb: 40 }),
      'REPORT RequestId: r\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t')
    assert.equal(reportLine({ requestId: 'r', durationMs: 0.2, memoryMb: 256, maxMemoryUsedMb: 50, initDurationMs: 80.1, status: { status: 'timeout', errorType: 'Sandbox.Timedout' } }),
      'REPORT RequestId: r\tDuration: 0.20 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\tMax Memory Used: 50 MB\tInit Duration: 80.10 ms\tStatus: timeout\tError Type: Sandbox.Timedout\t')
  })

  it('lets a lazily appended line wait for the next one: one batch for the sink, nothing lost or reordered', async () => {
    const sink = new FakeLogSink()
    const writes: number[] = []
    const counting = { write: (...args: Parameters<FakeLogSink['write']>) => (writes.push(args[2].length), sink.write(...args)) }
    const target = { functionName: 'f', account: '123456789012', region: 'us-east-1', logGroup: '/aws/lambda/f' }
    const writer = new LogStreamWriter({ sink: counting, target, streamName: 's', clock: new ManualClock(), log: () => {} })
    writer.appendLazily('START')
    writer.append('output')
    await new Promise((resolve) => setImmediate(resolve))
    writer.appendLazily('START 2')
    writer.append('END 2')
    writer.flush()
    assert.deepEqual(writes, [2, 2])
    assert.deepEqual(sink.messages(), ['START', 'output', 'START 2', 'END 2'])
    // Alone, it still goes out after a moment of real time.
    writer.appendLazily('START 3')
    await waitFor(() => sink.messages().length === 5, 'the lazy line to be flushed')
    assert.deepEqual(writes, [2, 2, 1])
  })

  it('splits a message line into events as a pipe line would be', () => {
    const events: string[] = []
    lineEvents('a\rb', (line) => events.push(line))
    lineEvents('x'.repeat(256 * 1024), (line) => events.push(line))
    assert.deepEqual(events.map((e) => e.length), [3, 256 * 1024 - 26, 26])
    assert.equal(events[0], 'a\nb')
  })
})
