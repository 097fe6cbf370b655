// CBOR against RFC 8949 Appendix A's examples, round trips, indefinite lengths and malformed input.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CborError, CborTag, decode, encode } from './cbor.ts'

const hex = (h: string) => Buffer.from(h, 'hex')

describe('CBOR (RFC 8949 Appendix A)', () => {
  const examples: [unknown, string][] = [
    [0, '00'], [1, '01'], [10, '0a'], [23, '17'], [24, '1818'], [25, '1819'], [100, '1864'], [1000, '1903e8'],
    [1000000, '1a000f4240'], [1000000000000, '1b000000e8d4a51000'], [-1, '20'], [-10, '29'], [-100, '3863'], [-1000, '3903e7'],
    [1.1, 'fb3ff199999999999a'], [-4.1, 'fbc010666666666666'], [false, 'f4'], [true, 'f5'], [null, 'f6'],
    ['', '60'], ['a', '6161'], ['IETF', '6449455446'], ['\u00fc', '62c3bc'], ['\u6c34', '63e6b0b4'],
    [[], '80'], [[1, 2, 3], '83010203'], [[1, [2, 3], [4, 5]], '8301820203820405'], [{}, 'a0'],
    [{ a: 1, b: [2, 3] }, 'a26161016162820203'], [new Uint8Array([1, 2, 3, 4]), '4401020304'],
  ]
  for (const [value, encoded] of examples) {
    it(`${JSON.stringify(value instanceof Uint8Array ? [...value] : value)} ⇄ ${encoded}`, () => {
      assert.equal(encode(value).toString('hex'), encoded)
      assert.deepEqual(decode(hex(encoded)), value)
    })
  }
  it('decodes half and single precision floats, infinities and NaN', () => {
    assert.equal(decode(hex('f90000')), 0)
    assert.equal(decode(hex('f93c00')), 1)
    assert.equal(decode(hex('f97bff')), 65504)
    assert.equal(decode(hex('f90001')), 5.960464477539063e-8)
    assert.equal(decode(hex('f9c400')), -4)
    assert.equal(decode(hex('fa47c35000')), 100000)
    assert.equal(decode(hex('f97c00')), Infinity)
    assert.equal(decode(hex('f9fc00')), -Infinity)
    assert.ok(Number.isNaN(decode(hex('f97e00'))))
  })
  it('decodes 64-bit integers past 2^53 as bigints, and bignum tags', () => {
    assert.equal(decode(hex('1bffffffffffffffff')), 18446744073709551615n)
    assert.equal(decode(hex('3bffffffffffffffff')), -18446744073709551616n)
    assert.equal(decode(hex('c249010000000000000000')), 18446744073709551616n)
  })
  it('decodes indefinite-length strings, arrays and maps', () => {
    assert.deepEqual(decode(hex('5f42010243030405ff')), new Uint8Array([1, 2, 3, 4, 5]))
    assert.equal(decode(hex('7f657374726561646d696e67ff')), 'streaming')
    assert.deepEqual(decode(hex('9f018202039f0405ffff')), [1, [2, 3], [4, 5]])
    assert.deepEqual(decode(hex('bf61610161629f0203ffff')), { a: 1, b: [2, 3] })
  })
  it('tag 1 (epoch time) decodes to its number, and Dates encode as tag 1 with a double', () => {
    assert.equal(decode(hex('c11a514b67b0')), 1363896240)
    assert.equal(decode(hex('c1fb41d452d9ec200000')), 1363896240.5)
    assert.deepEqual(decode(hex('c11a514b67b0'), { epochAsNumber: false }), new CborTag(1, 1363896240))
    assert.equal(encode(new Date(1363896240500)).toString('hex'), 'c1fb41d452d9ec200000')
  })
  it('refuses truncated data, trailing bytes, stray breaks and deep nesting', () => {
    for (const bad of ['19', '62c3', '8301', 'ff', '0000', '5f01ff', 'a1ff']) assert.throws(() => decode(hex(bad)), CborError, bad)
    assert.throws(() => decode(Buffer.alloc(100, 0x81)), CborError)
  })
  it('drops undefined map members when encoding, as JSON does', () => {
    assert.equal(encode({ a: undefined, b: 1 }).toString('hex'), 'a1616201')
  })
  it('keeps a "__proto__" map key as data, not as the prototype', () => {
    const value = decode(hex('a1695f5f70726f746f5f5fa0')) as Record<string, unknown>
    assert.deepEqual(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, {})
    assert.equal(Object.getPrototypeOf(value), Object.prototype)
  })
})

describe('malformed CBOR throws CborError, never anything else', () => {
  const bad = ['', '18', '1b0000', '62c3', 'a161', '5f4201ff00', '7f4101ff', 'ff', '1c', 'a1f600', '9f01', '5a7fffffff', '8301', '0000']
  for (const input of bad) {
    it(`rejects ${input || '(empty)'}`, () => assert.throws(() => decode(hex(input)), CborError))
  }
  it('a fuzzed stream of random bytes only ever throws CborError', () => {
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 24) }, () => Math.floor(random() * 256)))
      try {
        decode(bytes)
      } catch (error) {
        assert.ok(error instanceof CborError, `${bytes.toString('hex')}: ${String(error)}`)
      }
    }
  })
})
