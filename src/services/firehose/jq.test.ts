// The JQ engine of the MetadataExtraction processor: the queries AWS's dynamic partitioning docs
// show, jq 1.6's answers for indexing/null/tostring/tonumber, and clear errors for what it refuses.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileJq, JqError, type Json } from './jq.ts'

const run = (query: string, input: Json) => compileJq(query)(input)

describe('jq', () => {
  const doc: Json = { customer_id: 'c1', device: { type: 'phone', id: 7 }, tags: ['a', 'b'], 'odd key': 1, n: '42', zero: 0 }

  it('indexes fields, nested fields, quoted fields and arrays', () => {
    assert.equal(run('.customer_id', doc), 'c1')
    assert.equal(run('.device.type', doc), 'phone')
    assert.equal(run('.device | .id', doc), 7)
    assert.equal(run('."odd key"', doc), 1)
    assert.equal(run('.["odd key"]', doc), 1)
    assert.equal(run('.tags[1]', doc), 'b')
    assert.equal(run('.tags.[0]', doc), 'a')
    assert.equal(run('.tags[-1]', doc), 'b')
    assert.equal(run('.tags[5]', doc), null)
    assert.equal(run('.missing.deeper', doc), null)
    assert.deepEqual(run('.', doc), doc)
  })

  it('builds objects (AWS\'s documented query shapes) with pipes, shorthand and computed keys', () => {
    assert.deepEqual(run('{customer_id:.customer_id, device:.device.type}', doc), { customer_id: 'c1', device: 'phone' })
    assert.deepEqual(run('{customer_id, "id": .device.id | tostring}', doc), { customer_id: 'c1', id: '7' })
    assert.deepEqual(run('{(.device.type): .n | tonumber}', doc), { phone: 42 })
    assert.deepEqual(run('{k: "\\(.device.type)-\\(.device.id)"}', doc), { k: 'phone-7' })
  })

  it('converts with tostring and tonumber, and falls back with //', () => {
    assert.equal(run('.device.id | tostring', doc), '7')
    assert.equal(run('.device | tostring', doc), '{"type":"phone","id":7}')
    assert.equal(run('.n | tonumber', doc), 42)
    assert.equal(run('.missing // "none"', doc), 'none')
    assert.equal(run('.zero // "none"', doc), 0)
    assert.equal(run('.customer_id | ascii_upcase', doc), 'C1')
    assert.equal(run('.customer_id + "-" + (.device.id | tostring)', doc), 'c1-7')
    assert.equal(run('.tags | length', doc), 2)
  })

  it("fails as jq 1.6 does on bad indexing and conversions (and '?' suppresses)", () => {
    assert.throws(() => run('.customer_id.x', doc), new JqError('Cannot index string with "x"'))
    assert.throws(() => run('.tags.x', doc), new JqError('Cannot index array with "x"'))
    assert.throws(() => run('.device[0]', doc), new JqError('Cannot index object with number'))
    assert.throws(() => run('.customer_id | tonumber', doc), new JqError("Cannot parse 'c1' as JSON"))
    assert.equal(run('.customer_id.x?', doc), null)
  })

  it('refuses malformed and unsupported queries with a clear message', () => {
    assert.throws(() => compileJq('{a: .b'), /syntax error: expected '}' at end of query/)
    assert.throws(() => compileJq('.a | '), /unexpected end of query/)
    assert.throws(() => compileJq('.tags[]'), /iteration\) is not supported/)
    assert.throws(() => compileJq('.a, .b'), /multiple outputs/)
    assert.throws(() => compileJq('.a | strftime'), /strftime\/0 is not defined/)
    assert.throws(() => compileJq('"open'), /unterminated string/)
    assert.throws(() => compileJq('.a & .b'), /unexpected '&'/)
  })
})
