import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { attributesMd5, md5Hex, messageSize, selectAttributes } from './message.ts'

describe('SQS message digests', () => {
  it('matches the reference vectors for MD5OfMessageAttributes', () => {
    assert.equal(attributesMd5({ attribName1: { DataType: 'String', StringValue: 'attribValue 1' } }),
      '19e27d4e946b072f3f58da80d94fd778')
    assert.equal(attributesMd5({ binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } }),
      '31a92b15d92f8db860eda32aceb656c3')
  })

  it('is independent of the order attributes were given in', () => {
    const a = attributesMd5({ x: { DataType: 'String', StringValue: '1' }, y: { DataType: 'Number', StringValue: '2' } })
    const b = attributesMd5({ y: { DataType: 'Number', StringValue: '2' }, x: { DataType: 'String', StringValue: '1' } })
    assert.equal(a, b)
  })

  it('omits the digest when there are no attributes', () => {
    assert.equal(attributesMd5({}), undefined)
    assert.equal(attributesMd5(undefined), undefined)
  })

  it('hashes the UTF-8 body', () => {
    assert.equal(md5Hex('héllo'), 'be50e8478cf24ff3595bc7307fb91b50')
  })

  it('counts body, names, types and values toward the size', () => {
    assert.equal(messageSize('abc', { n: { DataType: 'String', StringValue: 'vv' } }), 3 + 1 + 6 + 2)
  })

  it('selects attributes by name, All, .* and prefix wildcards', () => {
    const attrs = { 'a.b': { DataType: 'String', StringValue: '1' }, c: { DataType: 'String', StringValue: '2' } }
    assert.deepEqual(Object.keys(selectAttributes(attrs, ['All'])!), ['a.b', 'c'])
    assert.deepEqual(Object.keys(selectAttributes(attrs, ['a.*'])!), ['a.b'])
    assert.deepEqual(Object.keys(selectAttributes(attrs, ['c'])!), ['c'])
    assert.equal(selectAttributes(attrs, ['zzz']), undefined)
    assert.equal(selectAttributes(attrs, undefined), undefined)
  })
})
