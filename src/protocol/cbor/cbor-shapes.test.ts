// Tag-1 timestamps as AWS's CBOR clients send them (Kinesis, `application/x-amz-cbor-1.1`): an integer
// is epoch milliseconds (the Java SDK), a float RFC 8949's seconds; Nimbus answers integer milliseconds.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CborTag, decode, encode } from './cbor.ts'
import { tagOneDate } from './cbor-shapes.ts'

const hex = (h: string) => Buffer.from(h, 'hex')

describe('CBOR tag-1 timestamps', () => {
  it('reads an integer as epoch milliseconds and a float as seconds', () => {
    const int = decode(hex('c11b0000019a2b3c4d5e'), { epochAsNumber: false }) as CborTag
    assert.deepEqual(tagOneDate(int.value), new Date(0x019a2b3c4d5e))
    const float = decode(hex('c1fb41d452d9ec200000'), { epochAsNumber: false }) as CborTag
    assert.deepEqual(tagOneDate(float.value), new Date(1363896240500))
    assert.equal(tagOneDate('soon'), undefined)
  })
  it('writes tag 1 with integer milliseconds', () => {
    assert.equal(encode(new CborTag(1, 1000)).toString('hex'), 'c11903e8')
  })
})
