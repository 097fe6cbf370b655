// SNS filter policies: attribute scope (String / Number / String.Array / Binary) and the error wording.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePattern, patternAwsError, PatternError, snsAttributesToEvent, type SnsAttribute } from '../../src/event-pattern/index.ts'

const s = (v: string): SnsAttribute => ({ DataType: 'String', StringValue: v })
const num = (v: string): SnsAttribute => ({ DataType: 'Number', StringValue: v })
const arr = (v: unknown[]): SnsAttribute => ({ DataType: 'String.Array', StringValue: JSON.stringify(v) })
const bin: SnsAttribute = { DataType: 'Binary', BinaryValue: Buffer.from('x') }

interface AttributeCase { name: string; pattern: object; attributes: Record<string, SnsAttribute>; match: boolean }
const a = (name: string, pattern: object, attributes: Record<string, SnsAttribute>, match: boolean): AttributeCase => ({ name, pattern, attributes, match })

const cases: AttributeCase[] = [
  a('String exact', { store: ['example_corp'] }, { store: s('example_corp') }, true),
  a('String exact mismatch', { store: ['example_corp'] }, { store: s('other') }, false),
  a('missing attribute fails a value', { store: ['example_corp'] }, {}, false),
  a('missing attribute matches exists false', { store: [{ exists: false }] }, {}, true),
  a('present attribute fails exists false', { store: [{ exists: false }] }, { store: s('x') }, false),
  a('present attribute matches exists true', { store: [{ exists: true }] }, { store: s('x') }, true),
  a('keys are ANDed', { store: ['a'], event: ['b'] }, { store: s('a'), event: s('c') }, false),
  a('keys are ANDed, all hold', { store: ['a'], event: ['b'] }, { store: s('a'), event: s('b') }, true),
  a('Number matches an exact number', { price: [42] }, { price: num('42') }, true),
  a('Number 42.0 equals 42', { price: [42] }, { price: num('42.0') }, true),
  a('Number matches a numeric range', { price: [{ numeric: ['>', 0, '<=', 100] }] }, { price: num('99.5') }, true),
  a('Number outside the range', { price: [{ numeric: ['>', 0, '<=', 100] }] }, { price: num('100.5') }, false),
  a('a String attribute does not match numeric', { price: [{ numeric: ['>', 0] }] }, { price: s('5') }, false),
  a('a non-numeric Number value matches nothing', { price: [{ exists: true }] }, { price: num('abc') }, false),
  a('a Number does not match the string form', { price: ['42'] }, { price: num('42') }, false),
  a('Number anything-but', { price: [{ 'anything-but': [100, 200] }] }, { price: num('150') }, true),
  a('Number anything-but hit', { price: [{ 'anything-but': [100, 200] }] }, { price: num('200') }, false),
  a('String.Array matches by intersection', { interests: ['rugby'] }, { interests: arr(['football', 'rugby']) }, true),
  a('String.Array no common element', { interests: ['rugby'] }, { interests: arr(['football', 'tennis']) }, false),
  a('String.Array prefix', { interests: [{ prefix: 'ten' }] }, { interests: arr(['football', 'tennis']) }, true),
  a('String.Array with numbers', { ids: [2] }, { ids: arr([1, 2]) }, true),
  a('String.Array anything-but (some element outside)', { interests: [{ 'anything-but': 'rugby' }] }, { interests: arr(['rugby', 'golf']) }, true),
  a('String.Array empty does not exist', { interests: [{ exists: true }] }, { interests: arr([]) }, false),
  a('Binary never matches a value', { b: ['eA=='] }, { b: bin }, false),
  a('Binary never matches exists true', { b: [{ exists: true }] }, { b: bin }, false),
  a('custom String type', { url: [{ prefix: 'https://' }] }, { url: { DataType: 'String.url', StringValue: 'https://x' } }, true),
  a('envelope Type/Value form', { store: ['a'] }, { store: { Type: 'String', Value: 'a' } }, true),
  a('equals-ignore-case', { store: [{ 'equals-ignore-case': 'EXAMPLE' }] }, { store: s('example') }, true),
  a('suffix', { file: [{ suffix: '.png' }] }, { file: s('a.png') }, true),
  a('cidr', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: s('10.0.0.9') }, true),
  a('anything-but prefix', { store: [{ 'anything-but': { prefix: 'ex' } }] }, { store: s('example') }, false),
  a('$or across attributes', { $or: [{ store: ['a'] }, { event: ['b'] }] }, { event: s('b') }, true),
  a('$or across attributes, neither', { $or: [{ store: ['a'] }, { event: ['b'] }] }, { event: s('c') }, false),
  a('a dotted attribute name', { 'a.b': ['x'] }, { 'a.b': s('x') }, true),
  a('an empty policy accepts everything', {}, { store: s('x') }, true),
  a('an empty policy accepts no attributes', {}, {}, true),
]

describe('SNS MessageAttributes scope', () => {
  for (const t of cases) {
    it(t.name, () => {
      assert.equal(compilePattern(t.pattern, 'sns-attributes').matches(snsAttributesToEvent(t.attributes)), t.match)
    })
  }
})

describe('SNS MessageBody scope', () => {
  const policy = compilePattern({ order: { status: ['paid'] } }, 'sns-body')
  it('matches a JSON body', () => assert.equal(policy.matches('{"order":{"status":"paid"}}'), true))
  it('a non-JSON body never matches', () => assert.equal(policy.matches('order paid'), false))
  it('a JSON body that is not an object never matches', () => assert.equal(policy.matches('["paid"]'), false))
  it('an empty body policy matches any JSON object', () => assert.equal(compilePattern({}, 'sns-body').matches('{}'), true))
})

describe('SNS error wording', () => {
  const error = (pattern: object, dialect: 'sns-attributes' | 'sns-body') => {
    try {
      compilePattern(pattern, dialect)
    } catch (e) {
      if (e instanceof PatternError) return e
    }
    throw new Error('expected a PatternError')
  }
  it('prefixes reasons with "Invalid parameter: FilterPolicy: "', () => {
    const aws = patternAwsError(error({ a: [] }, 'sns-body'))
    assert.equal(aws.code, 'InvalidParameterException')
    assert.equal(aws.message, 'Invalid parameter: FilterPolicy: Empty arrays are not allowed')
  })
  it('words Subscribe attributes differently', () => {
    const aws = patternAwsError(error({ a: [] }, 'sns-body'), { viaSubscribeAttributes: true })
    assert.equal(aws.message, 'Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed')
  })
  it('reports the nested-policy error without the FilterPolicy label', () => {
    const aws = patternAwsError(error({ a: { b: ['1'] } }, 'sns-attributes'))
    assert.equal(aws.message, 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy')
  })
})
