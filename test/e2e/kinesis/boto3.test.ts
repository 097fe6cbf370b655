// Kinesis from boto3 (HTTP/1.1 JSON, what Python code and the AWS CLI send): a stream made ACTIVE on
// the manual clock, PutRecords routed by MD5, GetRecords back with bytes intact, and an AWS error.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { runBoto3 } from '../../helpers/boto3.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const client = `import boto3, botocore, json, sys
k = boto3.client('kinesis', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
`

it('boto3 creates, writes, reads and gets AWS errors', async () => {
  const endpoint = nimbus.current.endpoint
  await runBoto3(`${client}k.create_stream(StreamName='py', ShardCount=2)`, endpoint)
  await advance(nimbus.current, 500)
  const script = `${client}
out = k.put_records(StreamName='py', Records=[{'Data': bytes([0, 255, 1]), 'PartitionKey': 'alpha'}, {'Data': b'b', 'PartitionKey': 'beta'}])
shard = out['Records'][0]['ShardId']
it = k.get_shard_iterator(StreamName='py', ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
recs = k.get_records(ShardIterator=it)['Records']
print(json.dumps([out['FailedRecordCount'], [r['ShardId'] for r in out['Records']], list(recs[0]['Data']), recs[0]['PartitionKey']]))
try:
    k.describe_stream(StreamName='missing')
except botocore.exceptions.ClientError as e:
    print(e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message'])
`
  const stdout = await runBoto3(script, endpoint)
  const [first, second] = stdout.trim().split('\n')
  // MD5('alpha') starts 2c1743a3… (< 2^127: shard 0); MD5('beta') 987bcab0… (≥ 2^127: shard 1).
  assert.deepEqual(JSON.parse(first!), [0, ['shardId-000000000000', 'shardId-000000000001'], [0, 255, 1], 'alpha'])
  assert.equal(second, 'ResourceNotFoundException 400 Stream missing under account 000000000000 not found.')
})

it('boto3 raises a stream\'s maximum record size, writes a 3 MiB record, and reads the account settings', async () => {
  const endpoint = nimbus.current.endpoint
  await runBoto3(`${client}k.create_stream(StreamName='big', ShardCount=1, MaxRecordSizeInKiB=2048)`, endpoint)
  await advance(nimbus.current, 500)
  const script = `${client}
arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/big'
try:
    k.put_record(StreamName='big', Data=bytes(3 * 1048576), PartitionKey='k')
except botocore.exceptions.ClientError as e:
    print(e.response['Error']['Code'], e.response['Error']['Message'])
k.update_max_record_size(StreamARN=arn, MaxRecordSizeInKiB=4096)
summary = k.describe_stream_summary(StreamARN=arn)['StreamDescriptionSummary']
put = k.put_record(StreamName='big', Data=bytes(3 * 1048576), PartitionKey='k')
settings = k.describe_account_settings()['MinimumThroughputBillingCommitment']
print(json.dumps([summary['MaxRecordSizeInKiB'], put['ShardId'], settings['Status']]))
`
  const stdout = await runBoto3(script, endpoint)
  const [refused, result] = stdout.trim().split('\n')
  assert.equal(refused, "ValidationException 1 validation error detected: Value at 'data' failed to satisfy constraint: " +
    'Member must have length less than or equal to 2097152')
  assert.deepEqual(JSON.parse(result!), [4096, 'shardId-000000000000', 'DISABLED'])
})
