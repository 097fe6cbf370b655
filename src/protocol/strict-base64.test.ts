// Coral's strict reading of a blob's base64: canonical padded base64 passes (what any encoder writes),
// anything else is a SerializationException with AWS's recorded message.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { checkStrictBase64 } from './strict-base64.ts'

const refusal = (text: string): string => {
  try {
    checkStrictBase64(text)
  } catch (error) {
    assert.equal((error as { code: string }).code, 'SerializationException')
    return (error as Error).message
  }
  return 'accepted'
}

it('takes what an encoder writes, for every length and every byte', () => {
  for (let n = 0; n < 64; n++) {
    const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n * 11) % 256))
    assert.equal(refusal(bytes.toString('base64')), 'accepted', `${n} bytes`)
  }
  assert.equal(refusal(Buffer.from([0xfb, 0xff, 0xfe]).toString('base64')), 'accepted') // + and /
})

it('refuses a bad length, a character outside the alphabet, padding inside, and spare bits set', () => {
  assert.equal(refusal('abc'), "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3")
  assert.equal(refusal('ab%d'), "'ab%d' can not be converted to a Blob: Invalid Base64 character: '%'")
  assert.equal(refusal('ab-_'), "'ab-_' can not be converted to a Blob: Invalid Base64 character: '-'")
  assert.equal(refusal('a=bc'), "'a=bc' can not be converted to a Blob: Invalid Base64 character: '='")
  assert.equal(refusal('QR=='), "'QR==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected")
  assert.equal(refusal('QUJ='), "'QUJ=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected")
  assert.equal(refusal('===='), "'====' can not be converted to a Blob: Invalid last non-pad Base64 character dectected")
})
