// DynamoDB numbers: canonical form, 38 digits, range, exact comparison and arithmetic; and the ordering
// of sort keys (numbers numerically, strings by UTF-8 bytes).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compareUtf8, itemSize } from './attribute-value.ts'
import { addNumbers, compareNumbers, normalizeNumber } from './numbers.ts'

function message(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected an error')
}

describe('numbers', () => {
  it('normalises as DynamoDB returns them', () => {
    const cases: [string, string][] = [
      ['1.0', '1'], ['-0', '0'], ['0.000', '0'], ['+5', '5'], ['007', '7'], ['1e2', '100'], ['1.5E-3', '0.0015'],
      ['-12.3400', '-12.34'], ['.5', '0.5'], ['1E125', '1' + '0'.repeat(125)],
    ]
    for (const [input, output] of cases) assert.equal(normalizeNumber(input), output, input)
  })

  it('refuses what DynamoDB refuses, in its words', () => {
    assert.equal(message(() => normalizeNumber('abc')), 'The parameter cannot be converted to a numeric value: abc')
    assert.equal(message(() => normalizeNumber('1'.repeat(39))), 'Attempting to store more than 38 significant digits in a Number')
    assert.equal(message(() => normalizeNumber('1E126')), 'Number overflow. Attempting to store a number with magnitude larger than supported range')
    assert.equal(message(() => normalizeNumber('1E-131')), 'Number underflow. Attempting to store a number with magnitude smaller than supported range')
    assert.equal(normalizeNumber('1E-130'), `0.${'0'.repeat(129)}1`)
    assert.equal(normalizeNumber('9.9999999999999999999999999999999999999E+125').length, 126)
  })

  it('compares and adds exactly', () => {
    assert.ok(compareNumbers('10', '9') > 0)
    assert.ok(compareNumbers('-10', '-9') < 0)
    assert.ok(compareNumbers('0.1', '0.09') > 0)
    assert.equal(compareNumbers('1.0', '1'), 0)
    assert.equal(addNumbers('0.1', '0.2'), '0.3')
    assert.equal(addNumbers('12345678901234567890123456789012345678', '1'), '12345678901234567890123456789012345679')
    assert.equal(addNumbers('5', '7', true), '-2')
    assert.equal(addNumbers('99999999999999999999999999999999999999', '1'), '1' + '0'.repeat(38))
    assert.equal(message(() => addNumbers('12345678901234567890123456789012345678', '0.1')),
      'Attempting to store more than 38 significant digits in a Number')
  })

  it('orders strings by UTF-8 bytes, not UTF-16 units', () => {
    // U+FF21 (EF BC A1 in UTF-8) sorts before U+1F600 (F0 9F 98 80), though its UTF-16 unit is larger.
    assert.ok(compareUtf8('\uff21', '\u{1f600}') < 0)
    const [bmp, astral] = ['\uff21', '\u{1f600}']
    assert.ok(bmp > astral, 'JavaScript orders them the other way')
    assert.ok(compareUtf8('a', 'b') < 0)
  })

  it('sizes items as AWS documents', () => {
    assert.equal(itemSize({ id: { S: 'abc' } }), 5)
    assert.equal(itemSize({ n: { N: '12345' } }), 1 + 4)
    assert.equal(itemSize({ m: { M: { a: { BOOL: true } } } }), 1 + 3 + 1 + 1 + 1)
    assert.equal(itemSize({ l: { L: [{ NULL: true }, { S: 'xy' }] } }), 1 + 3 + 2 + 3)
  })
})
