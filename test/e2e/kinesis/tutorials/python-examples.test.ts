// AWS's Python code examples for Kinesis and Firehose, run with boto3 (HTTP/1.1 JSON) on the manual
// clock: the KinesisStream wrapper's create (the stream_exists waiter), describe, put_record of a JSON
// blob, get_records from an AT_SEQUENCE_NUMBER iterator, delete (the stream_not_exists waiter), and the
// CLI's `aws kinesis wait stream-exists`; Firehose's put_record_batch example, its records in S3.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { awsCli } from '../../../helpers/aws-cli.ts'
import { runBoto3 } from '../../../helpers/boto3.ts'
import { advance, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'
import { deliveriesSettled, listKeys, objectBytes, streamToBucket } from '../../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const boto3 = (service: string) => `import boto3, botocore, json, sys
c = boto3.client('${service}', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
`

describe("AWS's Python examples for Kinesis and Firehose", () => {
  it('creates with the stream_exists waiter, puts and gets JSON, deletes with stream_not_exists', async () => {
    const endpoint = nimbus.current.endpoint
    const name = uniqueName('py-example')
    await runBoto3(`${boto3('kinesis')}c.create_stream(StreamName=sys.argv[2], ShardCount=1)`, endpoint, name)
    await advance(nimbus.current, 500)
    // The waiters poll DescribeStream: ACTIVE (now) ends stream_exists at once.
    const described = await runBoto3(`${boto3('kinesis')}
c.get_waiter('stream_exists').wait(StreamName=sys.argv[2], WaiterConfig={'Delay': 1, 'MaxAttempts': 1})
d = c.describe_stream(StreamName=sys.argv[2])['StreamDescription']
r = c.put_record(StreamName=d['StreamName'], Data=json.dumps({'name': 'example', 'value': 1}), PartitionKey='partition_key')
it = c.get_shard_iterator(StreamName=d['StreamName'], ShardId=d['Shards'][0]['ShardId'], ShardIteratorType='AT_SEQUENCE_NUMBER',
  StartingSequenceNumber=r['SequenceNumber'])['ShardIterator']
records = c.get_records(ShardIterator=it, Limit=10)['Records']
print(json.dumps([d['StreamStatus'], r['ShardId'], [json.loads(x['Data']) for x in records], records[0]['SequenceNumber'] == r['SequenceNumber']]))
c.delete_stream(StreamName=sys.argv[2])
`, endpoint, name)
    assert.deepEqual(JSON.parse(described), ['ACTIVE', 'shardId-000000000000', [{ name: 'example', value: 1 }], true])
    await advance(nimbus.current, 500)
    // Gone: stream_not_exists is satisfied by DescribeStream's ResourceNotFoundException.
    assert.equal((await runBoto3(`${boto3('kinesis')}
c.get_waiter('stream_not_exists').wait(StreamName=sys.argv[2], WaiterConfig={'Delay': 1, 'MaxAttempts': 1})
print('gone')`, endpoint, name)).trim(), 'gone')
  })

  it('aws kinesis wait stream-exists returns once the stream is ACTIVE', async () => {
    const name = uniqueName('cli-wait')
    await awsCli(nimbus.current, 'kinesis', 'create-stream', '--stream-name', name, '--shard-count', '1')
    await advance(nimbus.current, 500)
    assert.deepEqual(await awsCli(nimbus.current, 'kinesis', 'wait', 'stream-exists', '--stream-name', name), {})
  })

  it("Firehose's put_record_batch example: every record accepted and delivered in order", async () => {
    const { s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const out = await runBoto3(`${boto3('firehose')}
records = [{'Data': json.dumps({'id': i}) + '\\n'} for i in range(3)]
r = c.put_record_batch(DeliveryStreamName=sys.argv[2], Records=records)
print(json.dumps([r['FailedPutCount'], len(r['RequestResponses']), all('RecordId' in x for x in r['RequestResponses'])]))
`, nimbus.current.endpoint, name)
    assert.deepEqual(JSON.parse(out), [0, 3, true])
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const [key] = await listKeys(s3, bucket)
    assert.equal((await objectBytes(s3, bucket, key!)).toString(), '{"id": 0}\n{"id": 1}\n{"id": 2}\n')
  })
})
