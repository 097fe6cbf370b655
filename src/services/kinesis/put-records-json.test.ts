// The fast PutRecords body parse against the generic awsJson path, whole and fed in pieces cut at
// random: on SDK-shaped bodies it answers, and whenever it answers (fuzzed bodies: mutations, escapes,
// odd base64, odd JSON) its input is exactly the generic path's; anything else it hands back as a
// body the generic path reads exactly as it reads the original (same input, or the same error).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { prng as random } from '../../../test/e2e/gateway/fuzz/mutate.ts'
import { awsJson } from '../../protocol/json-rpc/json-rpc.ts'
import { ServiceModel } from '../../protocol/model.ts'
import { model } from './generated/model.ts'
import { type ParsePools, parsePutRecordsJson, type PutRecordsParse, PutRecordsParser } from './put-records-json.ts'
import { SCRATCH_BYTES, ScratchPool } from './scratch-pool.ts'
import { DECODE_IN_PLACE_FROM } from './base64-decode.ts'

// As index.ts builds it: blobs' base64 read strictly (non-canonical base64 is a SerializationException).
const serviceModel = new ServiceModel(model, { strictBase64: true })

function generic(body: Buffer): unknown {
  try {
    return awsJson.parseRequest({ method: 'POST', path: '/', query: {}, headers: { 'x-amz-target': 'Kinesis_20131202.PutRecords' }, body } as never,
      serviceModel).input
  } catch (error) {
    return { threw: String(error) }
  }
}

/** Buffers as hex, so deepEqual compares bytes and not where they live. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) =>
  (v !== null && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? { hex: Buffer.from((v as { data: number[] }).data).toString('hex') } : v)))

function sdkBody(rand: () => number, records: number, maxData = 40): string {
  const list = Array.from({ length: records }, (_, i) => {
    const data = Buffer.from(Array.from({ length: Math.floor(rand() * maxData) }, () => Math.floor(rand() * 256))).toString('base64')
    const r: Record<string, string> = { Data: data, PartitionKey: `pk-${i}-${Math.floor(rand() * 1e6)}` }
    if (rand() < 0.2) r['ExplicitHashKey'] = String(Math.floor(rand() * 1e12))
    return r
  })
  return JSON.stringify(rand() < 0.5 ? { StreamName: 'fuzz', Records: list } : { Records: list, StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/fuzz' })
}

const oddities = ['\\/', '\\"', '\\u0041', ' ', '\n', '\t', '=', '==', 'é', '-', '_', '!', 'null', '0', '{}', '[]', '"', ',', ':', '}', ']', '\u0001',
  '"x":1,', '"Data":"QQ==",', '"PartitionKey":"a",', '"Records":[],', '"StreamName":"s",', '"__proto__":{},']

/** A padded Data's last non-pad character swapped for another base64 one: its unused bits often set. */
function spareBits(rand: () => number, text: string): string {
  const pads = [...text.matchAll(/[A-Za-z0-9+/]={1,2}"/g)]
  if (pads.length === 0) return text
  const at = pads[Math.floor(rand() * pads.length)]!.index
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  return text.slice(0, at) + alphabet[Math.floor(rand() * 64)]! + text.slice(at + 1)
}

function mutate(rand: () => number, text: string): string {
  let out = text
  const edits = 1 + Math.floor(rand() * 3)
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (out.length + 1))
    const kind = rand()
    if (kind < 0.4) out = out.slice(0, at) + oddities[Math.floor(rand() * oddities.length)]! + out.slice(at)
    else if (kind < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rand() * 4))
    else if (kind < 0.8) out = spareBits(rand, out)
    else out = out.slice(0, at) + String.fromCharCode(32 + Math.floor(rand() * 95)) + out.slice(at + 1)
  }
  return out
}

/** The body fed in pieces cut at random (1 byte up to `max`), each piece wiped once written, as the gateway frees it. */
function inPieces(body: Buffer, rand: () => number, max: number, pools?: ParsePools, inPlaceFrom?: number): PutRecordsParse {
  const parser = new PutRecordsParser(pools, inPlaceFrom)
  for (let at = 0; at < body.length;) {
    const piece = Buffer.from(body.subarray(at, at + 1 + Math.floor(rand() * max)))
    parser.write(piece)
    piece.fill(0x7e)
    at += piece.length
  }
  return parser.finish()
}

/** What the gateway does with a parse: the input the operation gets, or the generic path's reading of the body handed back. */
const outcome = (parsed: PutRecordsParse): unknown => plain('input' in parsed ? parsed.input : generic(parsed.body))

describe('PutRecordsParser', () => {
  it('parses what SDKs send, whole or in pieces, exactly as the generic path does', () => {
    const rand = random(1)
    for (let n = 0; n < 200; n++) {
      const body = Buffer.from(sdkBody(rand, 1 + Math.floor(rand() * 20), n % 4 === 0 ? 20_000 : 40))
      const expected = plain(generic(body))
      const fast = parsePutRecordsJson(body)
      assert.ok(fast !== undefined, body.toString())
      assert.deepEqual(plain(fast.input), expected)
      const pieces = inPieces(body, rand, n % 2 === 0 ? 16 : 70_000)
      assert.ok('input' in pieces)
      assert.deepEqual(plain(pieces.input), expected)
    }
    // Whitespace between tokens and members in another order still take the fast path.
    const spaced = Buffer.from('{ "Records" : [ { "PartitionKey" : "a" , "Data" : "QUJD" } ,\n\t{"Data":"","PartitionKey":"b"} ] , "StreamName" : "s" }\r\n')
    assert.deepEqual(plain(parsePutRecordsJson(spaced)?.input), plain(generic(spaced)))
    for (let n = 0; n < 20; n++) assert.deepEqual(outcome(inPieces(spaced, rand, 3)), plain(generic(spaced)))
  })

  // Twice: with small records decoded through strings (Node's decoder), and with every record decoded in place (base64-decode.ts).
  for (const inPlaceFrom of [DECODE_IN_PLACE_FROM, 0]) {
    it(`answers only what the generic path answers the same way, and hands back a body it reads the same (fuzzed; in place from ${inPlaceFrom} characters)`, () => {
      const rand = random(2)
      let fastCount = 0
      let handedBack = 0
      for (let n = 0; n < 10_000; n++) {
        const body = Buffer.from(mutate(rand, sdkBody(rand, 1 + Math.floor(rand() * 4))))
        const expected = plain(generic(body))
        const fast = parsePutRecordsJson(body, undefined, inPlaceFrom)
        if (fast !== undefined) {
          fastCount++
          assert.deepEqual(plain(fast.input), expected, body.toString())
        }
        // In pieces: the same verdict, and either the same input or a body the generic path reads as it reads this one.
        const pieces = inPieces(body, rand, 1 + Math.floor(rand() * 40), undefined, inPlaceFrom)
        assert.equal('input' in pieces, fast !== undefined, body.toString())
        if ('body' in pieces) handedBack++
        assert.deepEqual(outcome(pieces), expected, body.toString())
      }
      // The mutations leave many bodies valid: the comparison above ran on a good share of them, and of the others.
      assert.ok(fastCount > 1_000, `only ${fastCount} fuzzed bodies took the fast path`)
      assert.ok(handedBack > 1_000, `only ${handedBack} fuzzed bodies were handed back`)
    })
  }

  it('leaves escapes, non-ASCII, nulls, unknown or repeated members and odd base64 to the generic path', () => {
    const cases = [
      '{"StreamName":"s","Records":[{"Data":"QUJD\\/","PartitionKey":"a"}]}',
      '{"StreamName":"s","Records":[{"Data":"QUJD","PartitionKey":"\\u00e9"}]}',
      '{"StreamName":"s","Records":[{"Data":"QUJD","PartitionKey":"é"}]}',
      '{"StreamName":"s","Records":[null]}',
      '{"StreamName":null,"Records":[]}',
      '{"StreamName":"s","Records":[{"Data":"QUJD","PartitionKey":"a","Extra":1}]}',
      '{"StreamName":"s","StreamName":"t","Records":[]}',
      '{"StreamName":"s","Records":[{"Data":"QUI","PartitionKey":"a"}]}',
      '{"StreamName":"s","Records":[{"Data":"QQ==QUJD","PartitionKey":"a"}]}',
      '{"StreamName":"s","Records":[{"Data":"QU D","PartitionKey":"a"}]}',
      // Spare bits set in the last group: Node's decoder drops them, AWS (and the generic path) refuses.
      '{"StreamName":"s","Records":[{"Data":"QR==","PartitionKey":"a"}]}',
      '{"StreamName":"s","Records":[{"Data":"QUJ=","PartitionKey":"a"}]}',
      '{"StreamName":"s","Records":[{"Data":"QUJDQUJ=","PartitionKey":"a"}]}',
      // URL-safe base64: Node's decoder takes it, AWS (and the generic path) refuses.
      '{"StreamName":"s","Records":[{"Data":"QU-D","PartitionKey":"a"}]}',
      '{"StreamName":"s","Records":[{"Data":"QU_D","PartitionKey":"a"}]}',
      '{"StreamName":"s","Records":[]} x',
      '{"StreamName":"s","Records":[{"Data":"QUJD","PartitionKey":"a"}]',
      '{"Records":[{"Data":"QUJD","PartitionKey":"a"},{"Data":"QUJD","PartitionKey":"b"}],"StreamName":"s","Records":[]}',
    ]
    const rand = random(3)
    for (const text of cases) {
      assert.equal(parsePutRecordsJson(Buffer.from(text)), undefined, text)
      assert.equal(parsePutRecordsJson(Buffer.from(text), undefined, 0), undefined, text)
      for (let n = 0; n < 20; n++) assert.deepEqual(outcome(inPieces(Buffer.from(text), rand, 1 + n)), plain(generic(Buffer.from(text))), text)
    }
  })

  it('decodes a 5 MiB call of 10 KiB records the same as the generic path, whole or in 64 KiB pieces, or handed back after 499 records', () => {
    const data = Buffer.alloc(10 * 1024 - 32, 'k')
    data[7] = 0xff
    const records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `k${i}`, Data: data.toString('base64') }))
    const body = Buffer.from(JSON.stringify({ Records: records, StreamName: 's' }))
    const expected = plain(generic(body))
    const fast = parsePutRecordsJson(body)!.input as { Records: Array<{ Data: Buffer }> }
    assert.equal(fast.Records.length, 500)
    assert.deepEqual(plain(fast), expected)
    assert.deepEqual(outcome(inPieces(body, random(4), 65_536)), expected)
    // The last record's data escaped: everything before it was decoded, and comes back as base64 for the generic path.
    const escaped = Buffer.from(body.toString().replace(/"Data":"([^"]*)"\}\]/, (_m, b64: string) => `"Data":"${b64.slice(0, 8)}\\/${b64.slice(9)}"}]`))
    const handed = inPieces(escaped, random(5), 65_536)
    assert.ok('body' in handed)
    assert.deepEqual(plain(generic(handed.body)), plain(generic(escaped)))
  })

  it('borrows pooled buffers, gives them back when answered, handed back or aborted, and reuses them', () => {
    const pools: ParsePools = { data: new ScratchPool(SCRATCH_BYTES, 2), pending: new ScratchPool(1024, 2), keys: new ScratchPool(256, 2) }
    const held = () => [pools.data.held, pools.pending.held, pools.keys.held]
    const body = (data: string) => Buffer.from(JSON.stringify({ StreamName: 's', Records: [{ PartitionKey: 'a', Data: 'QUJD' }, { PartitionKey: 'b', Data: data }] }))
    const parser = new PutRecordsParser(pools)
    parser.write(body('REVG'))
    const first = parser.finish()
    assert.ok('input' in first)
    // The raw bytes' buffer is back as soon as the body is parsed; data and keys once the call is answered.
    assert.deepEqual(held(), [0, 1, 0])
    assert.deepEqual(plain(first.input), plain(generic(body('REVG'))))
    const scratch = (first.input['Records'] as Array<{ Data: Buffer }>)[0]!.Data.buffer
    first.release()
    assert.deepEqual(held(), [1, 1, 1])
    // Invalid base64 in the second record: handed back, every buffer back in its pool.
    assert.ok('body' in inPieces(body('RE!G'), random(6), 5, pools))
    assert.deepEqual(held(), [1, 1, 1])
    const aborted = new PutRecordsParser(pools)
    aborted.write(body('R0hJ').subarray(0, 50))
    aborted.abort()
    assert.deepEqual(held(), [1, 1, 1])
    const again = parsePutRecordsJson(body('R0hJ'), pools)!
    assert.equal((again.input['Records'] as Array<{ Data: Buffer }>)[0]!.Data.buffer, scratch)
    assert.deepEqual(plain(again.input), plain(generic(body('R0hJ'))))
    again.release()
    // More than a valid call's data: a buffer of its own, never pooled.
    const huge = Buffer.from(JSON.stringify({ StreamName: 's', Records: [{ PartitionKey: 'a', Data: Buffer.alloc(SCRATCH_BYTES + 3).toString('base64') }] }))
    const big = inPieces(huge, random(7), 100_000, pools)
    assert.ok('input' in big)
    assert.equal((big.input['Records'] as Array<{ Data: Buffer }>)[0]!.Data.length, SCRATCH_BYTES + 3)
    big.release()
    assert.deepEqual(held(), [1, 1, 1])
  })
})
