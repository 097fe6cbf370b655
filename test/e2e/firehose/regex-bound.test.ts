// A MetadataExtractionQuery whose regex backtracks catastrophically (`test("(a+)+b")` on 40 "a"s)
// fails its record to `partitioning-failed` once the regex bound (here 100 ms) passes — past jq's
// `try` — while the other records are partitioned and Nimbus keeps answering other requests.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutRecordBatchCommand, type Processor } from '@aws-sdk/client-firehose'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus({ regexBudgetMs: 100 })
const jq = (query: string): Processor => ({
  Type: 'MetadataExtraction', Parameters: [
    { ParameterName: 'MetadataExtractionQuery', ParameterValue: query }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }],
})

describe('Firehose JQ regexes are bounded', () => {
  it('fails the record whose regex runs past the bound, partitions the rest, and keeps serving', { timeout: 60_000 }, async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 }, DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: { Enabled: true, Processors: [jq('{k: (try (if (.s | test("(a+)+b")) then "hit" else "miss" end) catch "caught")}')] },
      Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
    })
    const catastrophic = JSON.stringify({ s: `${'a'.repeat(40)}!` })
    const put = firehose.send(new PutRecordBatchCommand({
      DeliveryStreamName: name, Records: [{ s: 'aab' }, { s: 'xyz' }].map((r) => ({ Data: Buffer.from(JSON.stringify(r)) })).concat({ Data: Buffer.from(catastrophic) }),
    }))
    const health = fetch(`${nimbus.current.endpoint}/_nimbus/health`)
    assert.equal((await put).FailedPutCount, 0)
    assert.equal((await health).status, 200)
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 1)
    const keys = (await listKeys(s3, bucket)).sort()
    assert.deepEqual(keys.map((k) => k.split('/')[0]), ['err', 'k=hit', 'k=miss'])
    const error = JSON.parse((await objectBytes(s3, bucket, keys[0]!)).toString()) as Record<string, string>
    assert.equal(error.errorCode, 'DynamicPartitioning.MetadataExtractionFailed')
    assert.match(error.errorMessage!, /^Failed to execute the metadata extraction query .*: the regular expression ran longer than 100 ms$/)
    assert.equal(Buffer.from(error.rawData!, 'base64').toString(), catastrophic)
    // And after it: Nimbus answers, and the same query still runs on the next records.
    assert.equal((await fetch(`${nimbus.current.endpoint}/_nimbus/health`)).status, 200)
  })
})
