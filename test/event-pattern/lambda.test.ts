// Lambda FilterCriteria on SQS records: only `body`; JSON bodies match as JSON, others as plain strings.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePattern, lambdaFilterEvent, patternAwsError, PatternError } from '../../src/event-pattern/index.ts'

interface BodyCase { name: string; pattern: object; body: string; match: boolean }
const b = (name: string, pattern: object, body: string, match: boolean): BodyCase => ({ name, pattern, body, match })

const json = JSON.stringify({ RecordNumber: 1234, TimeStamp: 'yyyy-mm-ddThh:mm:ss', RequestCode: 'AAAA', tags: ['a', 'b'] })
const cases: BodyCase[] = [
  b('JSON body, matching field', { body: { RequestCode: ['AAAA'] } }, json, true),
  b('JSON body, other value', { body: { RequestCode: ['BBBB'] } }, json, false),
  b('JSON body, numeric', { body: { RecordNumber: [{ numeric: ['>', 1000] }] } }, json, true),
  b('JSON body, numeric miss', { body: { RecordNumber: [{ numeric: ['<', 1000] }] } }, json, false),
  b('JSON body, array intersection', { body: { tags: ['b'] } }, json, true),
  b('JSON body, exists false', { body: { Missing: [{ exists: false }] } }, json, true),
  b('JSON body, prefix', { body: { TimeStamp: [{ prefix: 'yyyy' }] } }, json, true),
  b('JSON body, whole-body string pattern does not match an object', { body: [json] }, json, false),
  b('plain body, exact string', { body: ['Test message.'] }, 'Test message.', true),
  b('plain body, other string', { body: ['Other'] }, 'Test message.', false),
  b('plain body, prefix', { body: [{ prefix: 'Test' }] }, 'Test message.', true),
  b('plain body, suffix', { body: [{ suffix: 'message.' }] }, 'Test message.', true),
  b('plain body, equals-ignore-case', { body: [{ 'equals-ignore-case': 'TEST MESSAGE.' }] }, 'Test message.', true),
  b('plain body, anything-but', { body: [{ 'anything-but': 'x' }] }, 'Test message.', true),
  b('plain body, exists', { body: [{ exists: true }] }, 'Test message.', true),
  b('plain body, a JSON-shaped filter never matches', { body: { RequestCode: ['AAAA'] } }, 'RequestCode=AAAA', false),
  b('a JSON number body is a plain string', { body: ['42'] }, '42', true),
  b('a JSON number body is not a number', { body: [{ numeric: ['=', 42] }] }, '42', false),
  b('a JSON string body stays the raw text', { body: ['"quoted"'] }, '"quoted"', true),
  b('malformed JSON is a plain string', { body: [{ prefix: '{' }] }, '{"a":', true),
  b('empty body', { body: [''] }, '', true),
]

describe('Lambda SQS filters: JSON vs plain-string bodies', () => {
  for (const t of cases) {
    it(t.name, () => {
      const record = { messageId: 'm1', body: t.body, attributes: { ApproximateReceiveCount: '1' } }
      assert.equal(compilePattern(t.pattern, 'lambda-filter').matches(lambdaFilterEvent('sqs', record)), t.match)
    })
  }
  it('filters only on body: record metadata is not matchable', () => {
    const record = { messageId: 'm1', body: 'x', attributes: { ApproximateReceiveCount: '1' } }
    const pattern = compilePattern({ attributes: { ApproximateReceiveCount: ['1'] } }, 'lambda-filter')
    assert.equal(pattern.matches(lambdaFilterEvent('sqs', record)), false)
  })
})

describe('Lambda Kinesis filters', () => {
  const record = (data: string) => ({ kinesis: { partitionKey: 'p1', data: Buffer.from(data).toString('base64') }, eventSource: 'aws:kinesis' })
  it('decodes base64 JSON data', () => {
    assert.equal(compilePattern({ data: { temperature: [{ numeric: ['>', 30] }] } }, 'lambda-filter').matches(lambdaFilterEvent('kinesis', record('{"temperature":35}'))), true)
  })
  it('matches non-JSON data as the decoded string', () => {
    assert.equal(compilePattern({ data: ['hello'] }, 'lambda-filter').matches(lambdaFilterEvent('kinesis', record('hello'))), true)
  })
  it('keeps record metadata matchable', () => {
    assert.equal(compilePattern({ partitionKey: ['p1'] }, 'lambda-filter').matches(lambdaFilterEvent('kinesis', record('x'))), true)
  })
})

describe('Lambda error wording', () => {
  it('gives no reason', () => {
    try {
      compilePattern({ body: [] }, 'lambda-filter')
      assert.fail('expected an error')
    } catch (error) {
      assert.ok(error instanceof PatternError)
      assert.equal(error.reason, 'Empty arrays are not allowed')
      const aws = patternAwsError(error)
      assert.equal(aws.code, 'InvalidParameterValueException')
      assert.equal(aws.message, 'Invalid filter pattern definition.')
    }
  })
})
