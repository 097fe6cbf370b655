// Large PutRecords calls (the bodies Kinesis parses on its fast path, records stored in slabs that grow from 16 KiB):
// bytes and keys read back exactly, across slab boundaries; the same body with an escape or a
// non-ASCII key (left to the generic JSON path) stores the same; a large bad body answers AWS's error;
// bodies are read one at a time, and a client that leaves gives its turn back.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { request } from 'node:http'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()

const blob = (size: number, seed: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 131 + seed * 7) & 0xff))

const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.PutRecords', ...signedBy('kinesis') }

function put(body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  return rawRequest(nimbus.current.endpoint, { body, headers })
    .then((r) => ({ status: r.status, json: JSON.parse(r.body) as Record<string, unknown> }))
}

async function readAll(name: string): Promise<Array<{ key: string; data: Buffer }>> {
  const k = kinesisClient(nimbus.current)
  let iterator = (await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })))
    .ShardIterator
  const out: Array<{ key: string; data: Buffer }> = []
  for (;;) {
    const page = await k.send(new GetRecordsCommand({ ShardIterator: iterator }))
    out.push(...page.Records!.map((r) => ({ key: r.PartitionKey!, data: Buffer.from(r.Data!) })))
    if (page.MillisBehindLatest === 0) return out
    iterator = page.NextShardIterator
  }
}

describe('large PutRecords calls', () => {
  // Each call's data is decoded into the same pooled buffer (scratch-pool.ts): what a call stored must not change with the next.
  it('round-trips every byte and key of 1 MiB calls from the SDK, records spanning slabs', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    // Sizes that don't divide a slab: records cross slab boundaries; one shard takes 1 MiB a second, so one call per second of the clock.
    const sent: Array<{ key: string; data: Buffer }> = []
    for (let call = 0; call < 3; call++) {
      const records = Array.from({ length: 7 }, (_, i) => ({ PartitionKey: `key-${call}-${i}`, Data: blob(140_001 + i * 3, call * 10 + i) }))
      const answer = await k.send(new PutRecordsCommand({ StreamName: name, Records: records }))
      assert.equal(answer.FailedRecordCount, 0)
      sent.push(...records.map((r) => ({ key: r.PartitionKey, data: r.Data })))
      nimbus.current.clock.advance(1_000)
    }
    const read = await readAll(name)
    assert.equal(read.length, sent.length)
    for (let i = 0; i < sent.length; i++) {
      assert.equal(read[i]!.key, sent[i]!.key)
      assert.ok(read[i]!.data.equals(sent[i]!.data), `record ${i}`)
    }
  })

  // A multi-MiB call whose shards refuse records in its middle (a record too big for what is left of a shard's
  // second, then a smaller one it takes): exactly the records taken read back, byte for byte, in every shard.
  it('reads back what a partly throttled multi-MiB call stored, and the next call stores beside it', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k, 2)
    // Shard 0 takes hash keys below 2^127; shard 1 the rest.
    const hashKeys = ['0', (2n ** 127n).toString()]
    const sent = new Map<string, Buffer>()
    const taken: string[] = []
    for (let call = 0; call < 2; call++) {
      // Per shard (alternating): nine of 100,000 bytes, one of 200,000 that its 1 MiB a second can't fit, then one
      // more of 100,000 that it takes — so taken records follow refused ones in the call's buffer.
      const sizes = [...Array<number>(9).fill(100_000), 200_000, 100_000]
      const records = Array.from({ length: 22 }, (_, i) => ({ PartitionKey: `c${call}-${i}`, ExplicitHashKey: hashKeys[i % 2], Data: blob(sizes[i >> 1]!, call * 30 + i) }))
      const answer = await k.send(new PutRecordsCommand({ StreamName: name, Records: records }))
      assert.equal(answer.FailedRecordCount, 2)
      assert.deepEqual(answer.Records!.map((r, i) => (r.ErrorCode === undefined ? -1 : i)).filter((i) => i >= 0), [18, 19])
      answer.Records!.forEach((r, i) => {
        if (r.ErrorCode === undefined) taken.push(records[i]!.PartitionKey)
        else assert.equal(r.ErrorCode, 'ProvisionedThroughputExceededException')
      })
      for (const r of records) sent.set(r.PartitionKey, r.Data)
      nimbus.current.clock.advance(1_000)
    }
    const read: Array<{ key: string; data: Buffer }> = []
    for (const shard of ['shardId-000000000000', 'shardId-000000000001']) {
      let iterator = (await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator
      for (;;) {
        const page = await k.send(new GetRecordsCommand({ ShardIterator: iterator }))
        read.push(...page.Records!.map((r) => ({ key: r.PartitionKey!, data: Buffer.from(r.Data!) })))
        if (page.MillisBehindLatest === 0) break
        iterator = page.NextShardIterator
      }
    }
    assert.deepEqual(read.map((r) => r.key).sort(), [...taken].sort())
    for (const r of read) assert.ok(r.data.equals(sent.get(r.key)!), r.key)
  })

  it('a body the fast path leaves alone (an escaped slash, a non-ASCII key) stores the same records', async () => {
    const name = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    const data = blob(30_000, 3)
    const base64 = data.toString('base64')
    const escaped = base64.replaceAll('/', '\\/')
    const records = [{ PartitionKey: 'plain', Data: base64 }, { PartitionKey: 'ключ', Data: base64 }, { PartitionKey: 'esc', Data: escaped }]
    const body = `{"StreamName":"${name}","Records":[${records.map((r) => `{"PartitionKey":"${r.PartitionKey}","Data":"${r.Data}"}`).join(',')}]}`
    const answer = await put(body)
    assert.equal(answer.status, 200)
    assert.equal(answer.json['FailedRecordCount'], 0)
    const read = await readAll(name)
    assert.deepEqual(read.map((r) => r.key), ['plain', 'ключ', 'esc'])
    for (const r of read) assert.ok(r.data.equals(data))
  })

  it('a large body with a wrong type or a bad member answers AWS errors, as a small one does', async () => {
    const name = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    const filler = Array.from({ length: 20 }, (_, i) => `{"PartitionKey":"k${i}","Data":"${blob(5_000, i).toString('base64')}"}`).join(',')
    const wrongType = await put(`{"StreamName":"${name}","Records":[${filler},{"PartitionKey":"x","Data":7}]}`)
    assert.equal(wrongType.status, 400)
    assert.equal(wrongType.json['__type'], 'com.amazonaws.kinesis#SerializationException')
    const badHash = await put(`{"StreamName":"${name}","Records":[${filler},{"PartitionKey":"x","Data":"QUJD","ExplicitHashKey":"-1"}]}`)
    assert.equal(badHash.status, 400)
    assert.equal(badHash.json['__type'], 'com.amazonaws.kinesis#ValidationException')
    assert.match(String(badHash.json['message']), /records\.21\.member\.explicitHashKey/)
    const noKey = await put(`{"StreamName":"${name}","Records":[${filler},{"Data":"QUJD"}]}`)
    assert.equal(noKey.status, 400)
    assert.match(String(noKey.json['message']), /partitionKey|PartitionKey/)
  })

  // Large bodies are read one at a time (admission.ts), the others wait unread; a client that leaves
  // mid-body or while waiting gives its turn back, so the next calls are read at once.
  it('clients that leave mid-body or while their body waits its turn hold up no one', async () => {
    const name = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    const body = (call: number) => `{"StreamName":"${name}","Records":[${Array.from({ length: 10 }, (_, i) =>
      `{"PartitionKey":"c${call}-${i}","Data":"${blob(7_000, call * 10 + i).toString('base64')}"}`).join(',')}]}`
    const bodies = () => (nimbus.current.health().kinesis as { largePutBodies: { active: number; waiting: number } }).largePutBodies
    const until = async (want: { active: number; waiting: number }) => {
      for (let i = 0; i < 1000 && JSON.stringify(bodies()) !== JSON.stringify(want); i++) await new Promise((r) => setTimeout(r, 5))
      assert.deepEqual(bodies(), want)
    }
    // Three clients send half a body and stall: one is being read, two wait.
    const url = new URL(nimbus.current.endpoint)
    const stalled = [0, 1, 2].map((k) => {
      const text = body(100 + k)
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { ...headers, 'content-length': String(text.length) } })
      req.on('error', () => {})
      req.write(text.slice(0, text.length / 2))
      return req
    })
    await until({ active: 1, waiting: 2 })
    for (const req of stalled) req.destroy()
    await until({ active: 0, waiting: 0 })
    const answers = await Promise.all([0, 1, 2, 3, 4].map((k) => put(body(k))))
    for (const answer of answers) {
      assert.equal(answer.status, 200)
      assert.equal(answer.json['FailedRecordCount'], 0)
    }
    await until({ active: 0, waiting: 0 })
    const read = await readAll(name)
    assert.equal(read.length, 50)
    for (const r of read) {
      const [call, i] = r.key.slice(1).split('-').map(Number) as [number, number]
      assert.ok(r.data.equals(blob(7_000, call * 10 + i)), r.key)
    }
  })
})
