// The AWS CLI v1 on this machine (botocore's JSON 1.1 client) against Firehose: create a stream,
// put records (CLI v1 sends `Data` as raw bytes), and find them delivered in S3 on the clock.
// A missing CLI fails, never skips.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { awsCli } from '../../helpers/aws-cli.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { clients, deliveriesSettled, listKeys, objectBytes } from './firehose-helpers.ts'

const nimbus = useNimbus()
const aws = <T = Record<string, unknown>>(...args: string[]) => awsCli<T>(nimbus.current, ...args)

describe('AWS CLI v1 against Firehose', () => {
  it('creates a stream, puts records and they land in S3', async () => {
    const { s3 } = clients(nimbus.current)
    const bucket = uniqueName('cli-fh').toLowerCase()
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    const name = uniqueName('cli-stream')
    const created = await aws<{ DeliveryStreamARN: string }>('firehose', 'create-delivery-stream', '--delivery-stream-name', name,
      '--extended-s3-destination-configuration', JSON.stringify({
        RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
      }))
    assert.match(created.DeliveryStreamARN, new RegExp(`:deliverystream/${name}$`))
    await advance(nimbus.current, 5_000)
    const described = await aws<{ DeliveryStreamDescription: { DeliveryStreamStatus: string } }>('firehose', 'describe-delivery-stream',
      '--delivery-stream-name', name)
    assert.equal(described.DeliveryStreamDescription.DeliveryStreamStatus, 'ACTIVE')
    const put = await aws<{ RecordId: string }>('firehose', 'put-record', '--delivery-stream-name', name, '--record', JSON.stringify({ Data: 'one,' }))
    assert.ok(put.RecordId.length > 0)
    const batch = await aws<{ FailedPutCount: number }>('firehose', 'put-record-batch', '--delivery-stream-name', name,
      '--records', JSON.stringify([{ Data: 'two,' }, { Data: 'three' }]))
    assert.equal(batch.FailedPutCount, 0)
    const listed = await aws<{ DeliveryStreamNames: string[] }>('firehose', 'list-delivery-streams')
    assert.ok(listed.DeliveryStreamNames.includes(name))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const [key] = await listKeys(s3, bucket)
    assert.equal((await objectBytes(s3, bucket, key!)).toString(), 'one,two,three')
  })
})
