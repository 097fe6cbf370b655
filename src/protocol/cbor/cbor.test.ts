// The CBOR codec against RFC 8949's Appendix A examples, AWS's tag-1 timestamps, indefinite lengths
// (as Jackson writes them) and malformed input, which must throw CborError and nothing else.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CborError, decodeCbor, encodeCbor } from './cbor.ts'

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex')

describe('CBOR decode (RFC 8949 Appendix A)', () => {
  const cases: Array<[string, unknown]> = [
    ['00', 0], ['17', 23], ['1818', 24], ['1903e8', 1000], ['1a000f4240', 1000000], ['1b000000e8d4a51000', 1000000000000],
    ['20', -1], ['3863', -100], ['f90000', 0], ['f93c00', 1], ['f97bff', 65504], ['fa47c35000', 100000], ['fb3ff199999999999a', 1.1],
    ['f4', false], ['f5', true], ['f6', null], ['60', ''], ['6161', 'a'], ['6449455446', 'IETF'], ['62c3bc', 'ü'],
    ['80', []], ['83010203', [1, 2, 3]], ['a0', {}], ['a26161016162820203', { a: 1, b: [2, 3] }],
    ['9f018202039f0405ffff', [1, [2, 3], [4, 5]]], ['bf61610161629f0203ffff', { a: 1, b: [2, 3] }],
    ['7f657374726561646d696e67ff', 'streaming'],
  ]
  for (const [input, expected] of cases) {
    // Maps decode with a null prototype; JSON gives plain objects to compare with.
    it(`decodes ${input}`, () => assert.deepEqual(JSON.parse(JSON.stringify(decodeCbor(hex(input)))), expected))
  }
  it('decodes byte strings, definite and chunked, to Buffers', () => {
    assert.deepEqual(decodeCbor(hex('4401020304')), Buffer.from([1, 2, 3, 4]))
    assert.deepEqual(decodeCbor(hex('5f42010243030405ff')), Buffer.from([1, 2, 3, 4, 5]))
  })
  it('reads tag 1 with an integer as epoch milliseconds (AWS SDKs) and a float as RFC seconds', () => {
    assert.deepEqual(decodeCbor(hex('c11b0000019a2b3c4d5e')), new Date(0x019a2b3c4d5e))
    assert.deepEqual(decodeCbor(hex('c1fb41d452d9ec200000')), new Date(1363896240500))
  })
  it('maps keep a "__proto__" key as data', () => {
    const value = decodeCbor(hex('a1695f5f70726f746f5f5f01')) as Record<string, unknown>
    assert.equal(value['__proto__'], 1)
    assert.equal(Object.getPrototypeOf(value), null)
  })
})

describe('CBOR encode', () => {
  it('round-trips what Kinesis answers: maps, text, bytes, ints, floats, booleans, null, dates', () => {
    const value = { Records: [{ Data: Buffer.from('hi'), SequenceNumber: '49', ApproximateArrivalTimestamp: new Date(1764892800123) }],
      MillisBehindLatest: 0, Big: 2 ** 40, Negative: -500, Float: 1.5, Ok: true, None: null }
    const decoded = decodeCbor(encodeCbor(value)) as Record<string, unknown>
    assert.deepEqual({ ...decoded, Records: (decoded['Records'] as object[]).map((r) => ({ ...r })) }, value)
  })
  it('writes the shortest head for each length and tag 1 + integer milliseconds for dates', () => {
    assert.equal(encodeCbor(23).toString('hex'), '17')
    assert.equal(encodeCbor(24).toString('hex'), '1818')
    assert.equal(encodeCbor(-1).toString('hex'), '20')
    assert.equal(encodeCbor('a').toString('hex'), '6161')
    assert.equal(encodeCbor(new Date(1000)).toString('hex'), 'c11903e8')
    assert.equal(encodeCbor(Buffer.alloc(300)).subarray(0, 3).toString('hex'), '59012c')
  })
  it('drops undefined members of maps', () => {
    assert.deepEqual(decodeCbor(encodeCbor({ a: undefined, b: 1 })), Object.assign(Object.create(null), { b: 1 }))
  })
})

describe('malformed CBOR throws CborError, never anything else', () => {
  const bad = ['', '18', '1b0000', '62c3', 'a161', '5f4201ff00', '7f4101ff', 'ff', '1c', 'f818', 'a1f600', '9f01', '5a7fffffff',
    '8301', '0000']
  for (const input of bad) {
    it(`rejects ${input || '(empty)'}`, () => assert.throws(() => decodeCbor(hex(input)), CborError))
  }
  it('rejects nesting past 100 levels', () => {
    assert.throws(() => decodeCbor(Buffer.alloc(10_000, 0x81)), CborError)
  })
  it('a fuzzed stream of random bytes only ever throws CborError', () => {
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 24) }, () => Math.floor(random() * 256)))
      try {
        decodeCbor(bytes)
      } catch (error) {
        assert.ok(error instanceof CborError, `${bytes.toString('hex')}: ${String(error)}`)
      }
    }
  })
})
