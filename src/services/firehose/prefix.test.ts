// Prefix evaluation and Java DateTimeFormatter patterns, against the examples in AWS's
// "Custom prefixes for Amazon S3 objects" page; Snappy against the format's known values.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { dateFields, formatDate, parseDatePattern, type Token } from './date-pattern.ts'
import { checkPrefixes, evaluateErrorPrefix, evaluatePrefix } from './prefix.ts'
import { crc32c, snappyCompress, snappyDecompress, snappyFrame, snappyUnframe } from './snappy.ts'

// 10:30 AM UTC on Aug 27, 2018 (the docs' example instant).
const at = Date.UTC(2018, 7, 27, 10, 30, 0)

describe('prefixes', () => {
  it("evaluates AWS's documented examples", () => {
    assert.equal(evaluatePrefix("myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/", at, undefined),
      'myPrefix/year=2018/month=08/day=27/hour=10/')
    assert.equal(evaluatePrefix("myErrorPrefix/!{timestamp:'year='yyyy'/month='MM'/day='dd'/hour='HH}/!{firehose:error-output-type}", at, undefined, 'processing-failed'),
      'myErrorPrefix/year=2018/month=08/day=27/hour=10/processing-failed')
    assert.match(evaluatePrefix('myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}', at, undefined),
      /^myFirehose\/DeliveredYear=2018\/anyMonth\/rand=[0-9a-f-]{11}$/)
  })

  it('appends the default time prefix when there is no timestamp expression, literally', () => {
    assert.equal(evaluatePrefix('', at, undefined), '2018/08/27/10/')
    assert.equal(evaluatePrefix('logs', at, undefined), 'logs2018/08/27/10/')
    assert.equal(evaluateErrorPrefix('logs/', undefined, at, undefined, 'processing-failed'), 'logs/processing-failed/2018/08/27/10/')
  })

  it('uses CustomTimeZone', () => {
    assert.equal(evaluatePrefix('!{timestamp:yyyy-MM-dd HH:mm}', at, 'Asia/Tokyo'), '2018-08-27 19:30')
  })

  it('checks the rules', () => {
    assert.throws(() => checkPrefixes('a/!{timestamp:yyyy}', undefined), /ErrorOutputPrefix cannot be null or empty/)
    assert.throws(() => checkPrefixes('a/!{foo:bar}', 'e/!{firehose:error-output-type}'), /InvalidArgument|namespace/)
    assert.throws(() => checkPrefixes('a/!{timestamp:yyyy', 'e/!{firehose:error-output-type}'), /!\{/)
    checkPrefixes('a/!{timestamp:yyyy}/', 'e/!{firehose:error-output-type}/!{timestamp:yyyy}/')
    checkPrefixes('plain/', undefined)
  })
})

describe('Java date patterns', () => {
  const format = (pattern: string) => formatDate(parseDatePattern(pattern) as Token[], dateFields(Date.UTC(2018, 0, 5, 0, 7, 9, 45)))
  it('formats fields and quoted literals', () => {
    assert.equal(format('yyyy/MM/dd/HH/'), '2018/01/05/00/')
    assert.equal(format("yy-M-d 'at' h:mm:ss.SSS a"), '18-1-5 at 12:07:09.045 AM')
    assert.equal(format("MMM MMMM EEE EEEE D DDD ''"), "Jan January Fri Friday 5 005 '")
  })
  it('rejects unknown letters and open quotes', () => {
    assert.equal(typeof parseDatePattern('yyyy-ZZ'), 'string')
    assert.equal(typeof parseDatePattern("yyyy'"), 'string')
  })
})

describe('snappy', () => {
  it('has the CRC-32C check value', () => {
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283)
  })
  it('round-trips blocks and frames, with copies', () => {
    const input = Buffer.from('Wikipedia is a free, web-based, collaborative, multilingual encyclopedia project. '.repeat(3000))
    const block = snappyCompress(input)
    assert.ok(block.length < input.length / 10)
    assert.deepEqual(snappyDecompress(block), input)
    const framed = snappyFrame(input)
    assert.deepEqual(framed.subarray(0, 10), Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]))
    assert.deepEqual(snappyUnframe(framed), input)
    assert.deepEqual(snappyCompress(Buffer.alloc(0)), Buffer.from([0]))
  })
})
