// The in-place base64 decoder against Node's: the same bytes for every padded standard base64 text,
// and -1 (never other bytes) for anything else.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { prng as random } from '../../../test/e2e/gateway/fuzz/mutate.ts'
import { decodeBase64Into, spareBitsClear } from './base64-decode.ts'

const decode = (text: string): Buffer | undefined => {
  const src = Buffer.from(`xx${text}yy`, 'latin1')
  const out = Buffer.alloc(text.length + 8, 0xaa)
  const n = decodeBase64Into(src, 2, src.length - 2, out, 3)
  return n < 0 ? undefined : out.subarray(3, 3 + n)
}

describe('decodeBase64Into', () => {
  it("decodes what Node encodes, every length and byte, exactly as Node's decoder does", () => {
    const rand = random(7)
    for (let n = 0; n < 3000; n++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)))
      const text = bytes.toString('base64')
      assert.deepEqual(decode(text), bytes, text)
    }
    // Leftover bits in the last character (non-canonical) are dropped, as Node drops them.
    assert.deepEqual(decode('QR=='), Buffer.from('QR==', 'base64'))
    assert.deepEqual(decode('QUJ='), Buffer.from('QUJ=', 'base64'))
  })

  it('refuses anything but padded standard base64', () => {
    for (const text of ['QUJ', 'QQ==QUJD', '====', 'A===', 'QU D', 'QU-D', 'QU_D', 'QUJ\n', '=QUJ', 'QUJD\u00ff\u00ff\u00ff\u00ff', 'Q\u0000JD'])
      assert.equal(decode(text), undefined, JSON.stringify(text))
    // Fuzzed: a text with a character swapped is either refused or decodes exactly as Node does.
    const rand = random(8)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n"\\\u0000\u00e9'
    for (let n = 0; n < 5000; n++) {
      const chars = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 30) }, () => Math.floor(rand() * 256))).toString('base64').split('')
      chars[Math.floor(rand() * chars.length)] = alphabet[Math.floor(rand() * alphabet.length)]!
      const text = chars.join('')
      const got = decode(text)
      if (got === undefined) continue
      assert.match(text, /^[A-Za-z0-9+/]*={0,2}$/, text)
      assert.deepEqual(got, Buffer.from(text, 'base64'), text)
    }
  })

  it('tells padded base64 whose spare bits are set (what Kinesis refuses as non-canonical)', () => {
    const clear = (text: string) => spareBitsClear(Buffer.from(`x${text}y`), 1, text.length + 1)
    for (let n = 0; n < 40; n++) assert.ok(clear(Buffer.alloc(n, 0xff).toString('base64')), `${n} bytes`)
    for (const text of ['QR==', 'QUJ=', 'QUJDQUJ=', '////QR==', 'AB==', 'AAB='])
      assert.equal(clear(text), false, text)
    for (const text of ['', 'QUJD', 'QQ==', 'QUI=', 'Q===', '===='])
      assert.equal(clear(text), true, text)
  })
})
