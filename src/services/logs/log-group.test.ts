import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LogGroup } from './log-group.ts'
import type { LogEvent } from './log-event.ts'

const event = (seq: number): LogEvent => ({ timestamp: 1_000 + seq, message: 'x'.repeat(74), ingestionTime: 1_000 + seq, seq, size: 100 })

describe('LogGroup.trim', () => {
  it('drops the group\'s oldest events first across streams written event by event, down to 90% of the bound', () => {
    const group = new LogGroup({ name: 'g', account: '000000000000', region: 'us-east-1', creationTime: 0 })
    const streams = Array.from({ length: 8 }, (_, i) => group.createStream(`s${i}`, 0))
    // 80,000 events interleaved one by one over 8 streams (a busy function's environments), 74 message bytes each.
    for (let seq = 0; seq < 80_000; seq++) streams[seq % 8]!.append([event(seq)], 0)
    // One cut a stream, not one a dropped event (each moved a stream's whole array: quadratic at this size).
    let cuts = 0
    for (const stream of streams) {
      const dropFirst = stream.dropFirst.bind(stream)
      stream.dropFirst = (n: number) => { cuts += 1; return dropFirst(n) }
    }
    group.trim(74 * 40_000)
    assert.equal(cuts, 8)
    assert.equal(group.storedBytes, 74 * 36_000)
    // Exactly the newest 36,000 events stay, each stream keeping its share.
    const kept = streams.flatMap((s) => s.events.map((e) => e.seq)).sort((a, b) => a - b)
    assert.deepEqual([kept.length, kept[0], kept.at(-1)], [36_000, 44_000, 79_999])
    for (const stream of streams) assert.equal(stream.events.length, 4_500)
  })
})
