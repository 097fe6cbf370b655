// boto3 against the wiring between services, as a Python script would set it up: a CloudWatch Logs
// subscription filter to a Kinesis stream (the gzip records read back with get_records, the third
// filter refused), an SNS firehose subscription with its SubscriptionRoleArn, an EventBridge
// Kinesis target with PartitionKeyPath, and a DynamoDB table streaming into Kinesis.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { settle } from '../../helpers/function-log.ts'

const nimbus = useNimbus()
const run = promisify(execFile)

const setup = `
import boto3, botocore, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
kinesis = boto3.client('kinesis', **kw)
for s in ('wire-logs', 'wire-events', 'wire-table'):
    kinesis.create_stream(StreamName=s, ShardCount=1)
boto3.client('s3', **kw).create_bucket(Bucket='wire-bucket')
boto3.client('firehose', **kw).create_delivery_stream(DeliveryStreamName='wire-fh',
    ExtendedS3DestinationConfiguration={'RoleARN': 'arn:aws:iam::000000000000:role/r', 'BucketARN': 'arn:aws:s3:::wire-bucket'})
boto3.client('dynamodb', **kw).create_table(TableName='wire-table', BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}], KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}])
`

const wire = `
import boto3, botocore, json, sys, gzip
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
role = 'arn:aws:iam::000000000000:role/r'
arn = lambda s: 'arn:aws:kinesis:us-east-1:000000000000:stream/' + s
out = {}
logs = boto3.client('logs', **kw)
logs.create_log_group(logGroupName='/wire/app')
logs.create_log_stream(logGroupName='/wire/app', logStreamName='s1')
logs.put_subscription_filter(logGroupName='/wire/app', filterName='f1', filterPattern='', destinationArn=arn('wire-logs'), roleArn=role)
logs.put_subscription_filter(logGroupName='/wire/app', filterName='f2', filterPattern='ERROR', destinationArn=arn('wire-logs'), roleArn=role, distribution='Random')
try:
    logs.put_subscription_filter(logGroupName='/wire/app', filterName='f3', filterPattern='', destinationArn=arn('wire-logs'), roleArn=role)
except botocore.exceptions.ClientError as e:
    out['third'] = e.response['Error']['Code']
out['filters'] = [[f['filterName'], f['distribution']] for f in logs.describe_subscription_filters(logGroupName='/wire/app')['subscriptionFilters']]
sns = boto3.client('sns', **kw)
topic = sns.create_topic(Name='wire-topic')['TopicArn']
try:
    sns.subscribe(TopicArn=topic, Protocol='firehose', Endpoint='arn:aws:firehose:us-east-1:000000000000:deliverystream/wire-fh')
except botocore.exceptions.ClientError as e:
    out['noRole'] = e.response['Error']['Code']
sub = sns.subscribe(TopicArn=topic, Protocol='firehose', Endpoint='arn:aws:firehose:us-east-1:000000000000:deliverystream/wire-fh',
    Attributes={'SubscriptionRoleArn': role}, ReturnSubscriptionArn=True)['SubscriptionArn']
out['subRole'] = sns.get_subscription_attributes(SubscriptionArn=sub)['Attributes']['SubscriptionRoleArn']
events = boto3.client('events', **kw)
events.put_rule(Name='wire-rule', EventPattern=json.dumps({'source': ['wire.app']}))
events.put_targets(Rule='wire-rule', Targets=[{'Id': 'k', 'Arn': arn('wire-events'), 'RoleArn': role, 'KinesisParameters': {'PartitionKeyPath': '$.detail.who'}}])
ddb = boto3.client('dynamodb', **kw)
enabled = ddb.enable_kinesis_streaming_destination(TableName='wire-table', StreamArn=arn('wire-table'),
    EnableKinesisStreamingConfiguration={'ApproximateCreationDateTimePrecision': 'MICROSECOND'})
out['enabled'] = [enabled['DestinationStatus'], enabled['EnableKinesisStreamingConfiguration']['ApproximateCreationDateTimePrecision']]
print(json.dumps(out))
`

const produce = `
import boto3, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
now = int(sys.argv[2])
boto3.client('logs', **kw).put_log_events(logGroupName='/wire/app', logStreamName='s1', logEvents=[{'timestamp': now, 'message': 'ERROR boom'}])
boto3.client('events', **kw).put_events(Entries=[{'Source': 'wire.app', 'DetailType': 'T', 'Detail': json.dumps({'who': 'w-1'})}])
ddb = boto3.client('dynamodb', **kw)
out = {'dest': ddb.describe_kinesis_streaming_destination(TableName='wire-table')['KinesisDataStreamDestinations'][0]['DestinationStatus']}
ddb.put_item(TableName='wire-table', Item={'pk': {'S': 'a'}, 'v': {'N': '1'}})
print(json.dumps(out))
`

const read = `
import boto3, json, sys, gzip
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
kinesis = boto3.client('kinesis', **kw)
def records(s):
    it = kinesis.get_shard_iterator(StreamName=s, ShardId='shardId-000000000000', ShardIteratorType='TRIM_HORIZON')['ShardIterator']
    return kinesis.get_records(ShardIterator=it)['Records']
logs = [json.loads(gzip.decompress(r['Data'])) for r in records('wire-logs')]
ev = records('wire-events')
table = [json.loads(r['Data']) for r in records('wire-table')]
print(json.dumps({'logs': [[m['messageType'], m['subscriptionFilters'], [e['message'] for e in m['logEvents']]] for m in logs],
  'events': [[r['PartitionKey'], json.loads(r['Data'])['detail']] for r in ev],
  'table': [[t['eventName'], t['tableName'], t['dynamodb']['NewImage'], t['dynamodb']['ApproximateCreationDateTime'] > 10**15] for t in table]}))
`

describe('the wiring between services with boto3', () => {
  it('subscribes, targets and streams as a boto3 script would, and reads the records back', async () => {
    const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }
    const py = async (script: string, ...args: string[]) =>
      JSON.parse((await run('python3', ['-c', script, nimbus.current.endpoint, ...args], { env })).stdout || 'null') as Record<string, unknown>
    await py(setup)
    await advance(nimbus.current, 60_000)
    const wired = await py(wire)
    assert.deepEqual(wired, {
      third: 'LimitExceededException', filters: [['f1', 'ByLogStream'], ['f2', 'Random']],
      noRole: 'InvalidParameter', subRole: 'arn:aws:iam::000000000000:role/r', enabled: ['ENABLING', 'MICROSECOND'],
    })
    await advance(nimbus.current, 60_000)
    assert.deepEqual(await py(produce, String(nimbus.current.clock.now())), { dest: 'ACTIVE' })
    await settle() // the fabric hands records over a few event-loop turns later
    const got = await py(read)
    assert.deepEqual(got.logs, [
      ['CONTROL_MESSAGE', [], ['CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.']],
      ['CONTROL_MESSAGE', [], ['CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.']],
      ['DATA_MESSAGE', ['f1'], ['ERROR boom']], ['DATA_MESSAGE', ['f2'], ['ERROR boom']],
    ])
    assert.deepEqual(got.events, [['w-1', { who: 'w-1' }]])
    assert.deepEqual(got.table, [['INSERT', 'wire-table', { pk: { S: 'a' }, v: { N: '1' } }, true]])
  })
})
