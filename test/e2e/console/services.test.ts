// The console API over every declaring service: resources made through the real SDK clients (SNS, S3,
// EventBridge, CloudWatch Logs, DynamoDB, Kinesis, EC2) appear at /_nimbus/api/resources, detail at
// /_nimbus/api/resource, and their actions (publish, download, put an event, tail) act.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordCommand as PutFirehoseRecordCommand } from '@aws-sdk/client-firehose'
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam'
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2'
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { PutRecordCommand } from '@aws-sdk/client-kinesis'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { CreateApiCommand } from '@aws-sdk/client-apigatewayv2'
import { apiGatewayClient, createApi, createPath, deploy, lambdaProxyMethod } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { consoleAction, consoleRead, type Json } from '../../helpers/console.ts'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { logsClient, newStream, putMessages } from '../../helpers/logs.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'
import { ebClient } from '../eventbridge/fixtures.ts'
import { createBucket, sqs } from '../s3/notification-fixtures.ts'

const nimbus = useNimbus()

const resources = (service: string, type: string, q = '') =>
  consoleRead(nimbus.current, `/_nimbus/api/resources?service=${service}&type=${type}&q=${encodeURIComponent(q)}`)
const resource = (service: string, type: string, id: string) =>
  consoleRead(nimbus.current, `/_nimbus/api/resource?service=${service}&type=${type}&id=${encodeURIComponent(id)}`)
const section = (detail: Json, title: string) => detail.sections.find((s: { title: string }) => s.title.startsWith(title))

describe('console API: every declaring service', () => {
  it('lists every declaring service in /_nimbus/api/services without loading one', async () => {
    const { services } = await consoleRead(nimbus.current, '/_nimbus/api/services')
    const names = services.map((s: { name: string }) => s.name)
    for (const name of ['sqs', 'sns', 'lambda', 's3', 'eventbridge', 'logs', 'dynamodb', 'kinesis', 'ec2']) assert.ok(names.includes(name), name)
    assert.equal(nimbus.current.health().ec2 !== undefined && (nimbus.current.health().ec2 as { status: string }).status, 'available',
      'listing the catalog loaded nothing')
  })

  it('SNS: topics and subscriptions with their targets; publish fans out to the queue', async () => {
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    const queue = await standardQueue(sqs(nimbus.current), {}, 'console-sns')
    await subscribeQueue(sns, topic, queue.arn)
    const { items } = await resources('sns', 'topic', topic.split(':').at(-1))
    assert.deepEqual(items[0].fields, { kind: 'Standard', subscriptions: 1, displayName: null })
    const detail = await resource('sns', 'topic', topic)
    assert.ok(detail.links.some((l: Json) => l.service === 'sqs' && l.type === 'queue' && l.id === queue.arn))
    const published = await consoleAction(nimbus.current, { service: 'sns', type: 'topic', id: topic, action: 'publish', params: { message: 'hi all' } })
    assert.equal(published.status, 200)
    const [message] = await receiveAll(sqs(nimbus.current), queue.url)
    assert.equal(JSON.parse(message!.Body!).Message, 'hi all')
    const subs = await resources('sns', 'subscription', queue.name)
    assert.equal(subs.items[0].fields.protocol, 'sqs')
  })

  it('S3: buckets with their objects; an object downloads through the console', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = await createBucket(s3, 'console')
    await s3.send(new PutObjectCommand({ Bucket, Key: 'docs/readme.txt', Body: 'hello from s3', ContentType: 'text/plain' }))
    const { items } = await resources('s3', 'bucket', Bucket)
    assert.deepEqual([items[0].name, items[0].arn, items[0].fields.objects], [Bucket, `arn:aws:s3:::${Bucket}`, 1])
    const detail = await resource('s3', 'bucket', Bucket)
    assert.deepEqual(section(detail, 'Objects').data.rows.map((r: Json) => [r.key, r.size]), [['docs/readme.txt', 13]])
    const download = await consoleAction(nimbus.current, { service: 's3', type: 'bucket', id: Bucket, action: 'download', params: { key: 'docs/readme.txt' } })
    assert.deepEqual([download.body.result.text, download.body.result.contentType, Buffer.from(download.body.result.base64, 'base64').toString()],
      ['hello from s3', 'text/plain', 'hello from s3'])
    const missing = await consoleAction(nimbus.current, { service: 's3', type: 'bucket', id: Bucket, action: 'download', params: { key: 'nope' } })
    assert.deepEqual([missing.status, missing.body.error], [400, 'NoSuchKey'])
  })

  it('EventBridge: buses and rules with targets; an event put through the console reaches the rule\'s queue', async () => {
    const events = ebClient(nimbus.current)
    const bus = uniqueName('console-bus')
    const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: bus }))
    const queue = await standardQueue(sqs(nimbus.current), {}, 'console-eb')
    await events.send(new PutRuleCommand({ Name: 'all-console', EventBusName: bus, EventPattern: JSON.stringify({ source: ['nimbus.console'] }) }))
    await events.send(new PutTargetsCommand({ Rule: 'all-console', EventBusName: bus, Targets: [{ Id: 'q', Arn: queue.arn }] }))
    const { items } = await resources('eventbridge', 'bus', bus)
    assert.deepEqual(items[0].fields.rules, 1)
    const rules = await resources('eventbridge', 'rule', 'all-console')
    const rule = await resource('eventbridge', 'rule', rules.items[0].id)
    assert.deepEqual(section(rule, 'Event pattern').data, { source: ['nimbus.console'] })
    assert.ok(rule.links.some((l: Json) => l.id === queue.arn))
    const put = await consoleAction(nimbus.current, { service: 'eventbridge', type: 'bus', id: EventBusArn!, action: 'put-event',
      params: { detail: { hello: 'bus' } } })
    assert.equal(put.body.result.FailedEntryCount, 0)
    nimbus.current.clock.advance(0)
    await new Promise((resolve) => setImmediate(resolve))
    const [message] = await receiveAll(sqs(nimbus.current), queue.url)
    assert.deepEqual(JSON.parse(message!.Body!).detail, { hello: 'bus' })
  })

  it('CloudWatch Logs: groups with their newest events, tailed after the last seen', async () => {
    const logs = logsClient(nimbus.current)
    const { group, stream } = await newStream(logs, '/console/logs')
    await putMessages(nimbus.current, logs, group, stream, ['first line', 'second line'])
    const { items } = await resources('logs', 'log-group', group)
    assert.equal(items[0].fields.streams, 1)
    const detail = await resource('logs', 'log-group', group)
    assert.deepEqual(section(detail, 'Newest events').data.map((e: Json) => e.message), ['first line', 'second line'])
    const tail = await consoleAction(nimbus.current, { service: 'logs', type: 'log-group', id: items[0].id, action: 'tail' })
    assert.deepEqual(tail.body.result.events.map((e: Json) => e.message), ['first line', 'second line'])
    await putMessages(nimbus.current, logs, group, stream, ['third line'])
    const more = await consoleAction(nimbus.current, { service: 'logs', type: 'log-group', id: items[0].id, action: 'tail',
      params: { after: tail.body.result.last } })
    assert.deepEqual(more.body.result.events.map((e: Json) => e.message), ['third line'])
  })

  it('DynamoDB: tables with their keys and items as plain JSON', async () => {
    const client = dynamoClient(nimbus.current)
    const table = await activeTable(nimbus.current, client)
    await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'user#1' }, sk: { N: '7' }, tags: { SS: ['a', 'b'] } } }))
    const { items } = await resources('dynamodb', 'table', table)
    assert.deepEqual([items[0].fields.status, items[0].fields.items, items[0].fields.partitionKey, items[0].fields.sortKey], ['ACTIVE', 1, 'pk', 'sk'])
    const detail = await resource('dynamodb', 'table', table)
    const rows = section(detail, 'Items').data.rows
    assert.deepEqual(rows, [{ pk: 'user#1', sk: 7, tags: '["a","b"]' }])
  })

  it('Kinesis: streams with their shards and records retained', async () => {
    const client = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, client, 2)
    await client.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: Buffer.from('r') }))
    const { items } = await resources('kinesis', 'stream', name)
    assert.deepEqual([items[0].fields.status, items[0].fields.openShards, items[0].fields.records], ['ACTIVE', 2, 1])
    const detail = await resource('kinesis', 'stream', items[0].arn)
    assert.equal(section(detail, 'Shards').data.rows.length, 2)
  })

  it('EC2: instances on the clock and their VPC', async () => {
    const ec2 = new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*'] },
      { Name: 'architecture', Values: ['x86_64'] }] }))
    const run = await ec2.send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId!, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'console-box' }] }] }))
    const id = run.Instances![0]!.InstanceId!
    const { items } = await resources('ec2', 'instance', 'console-box')
    assert.deepEqual([items[0].id, items[0].fields.state], [id, 'pending'])
    nimbus.current.clock.advance(60_000)
    const detail = await resource('ec2', 'instance', id)
    assert.equal(detail.fields.state, 'running')
    const vpc = detail.links.find((l: Json) => l.type === 'vpc')
    const vpcDetail = await resource('ec2', 'vpc', vpc.id)
    assert.ok(section(vpcDetail, 'Instances').data.rows.some((r: Json) => r.id === id))
  })

  it('CloudWatch: alarms with their state, and their metric charted beside the threshold', async () => {
    const cw = cloudWatchClient(nimbus.current)
    const start = minuteNow(nimbus.current) + 60_000
    await advanceTo(nimbus.current, start)
    await cw.send(new PutMetricAlarmCommand({ AlarmName: 'console-depth', Namespace: 'Console', MetricName: 'Depth', Statistic: 'Maximum',
      Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' }))
    await cw.send(new PutMetricDataCommand({ Namespace: 'Console', MetricData: [{ MetricName: 'Depth', Value: 9, Timestamp: new Date(start + 1000) }] }))
    await advanceTo(nimbus.current, start + 60_000)
    const { items } = await resources('cloudwatch', 'alarm', 'console-depth')
    assert.deepEqual([items[0].fields.state, items[0].fields.metric, items[0].fields.threshold], ['ALARM', 'Depth', 5])
    const detail = await resource('cloudwatch', 'alarm', items[0].arn)
    assert.deepEqual(detail.charts[0].thresholds, [{ label: 'GreaterThanThreshold 5', value: 5 }])
    assert.deepEqual(detail.charts[0].series[0].points, [[start, 9]])
    assert.ok(section(detail, 'History').data.some((h: Json) => /ALARM/.test(h.message)))
  })

  it('Firehose: delivery streams with their buffer, due to flush on the clock; IAM roles with their policies under every region', async () => {
    const firehose = new FirehoseClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const Bucket = await createBucket(s3Client(nimbus.current), 'console-fh')
    const name = uniqueName('console-fh')
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: {
      RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: `arn:aws:s3:::${Bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 120 } } }))
    nimbus.current.clock.advance(5_000)
    await firehose.send(new PutFirehoseRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('one\n') } }))
    const { items } = await resources('firehose', 'delivery-stream', name)
    assert.deepEqual([items[0].fields.status, items[0].fields.buffered, items[0].fields.bucket], ['ACTIVE', 1, Bucket])
    const { due } = await consoleRead(nimbus.current, '/_nimbus/clock/next?limit=100')
    assert.ok(due.some((d: Json) => d.service === 'firehose' && d.what.includes(name) && d.at === nimbus.current.clock.now() + 120_000))

    const iam = new IAMClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }
    await iam.send(new CreateRoleCommand({ RoleName: 'console-role', AssumeRolePolicyDocument: JSON.stringify(trust) }))
    await iam.send(new PutRolePolicyCommand({ RoleName: 'console-role', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) }))
    const roles = await consoleRead(nimbus.current, '/_nimbus/api/resources?service=iam&type=role&region=eu-west-1&q=console-role')
    assert.deepEqual([roles.items[0].arn, roles.items[0].fields.inlinePolicies], ['arn:aws:iam::000000000000:role/console-role', 1])
    const role = await resource('iam', 'role', roles.items[0].arn)
    assert.deepEqual(section(role, 'Trust policy').data, trust)
    assert.equal(section(role, 'Inline policy read').data.Statement[0].Action, 's3:GetObject')
    assert.ok(!(await consoleRead(nimbus.current, '/_nimbus/api/services')).regions.includes('global'))
  })

  it('API Gateway: REST APIs with their methods and stages, HTTP APIs with their routes; both link to the function they invoke', async () => {
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:console-api-fn'
    const rest = apiGatewayClient(nimbus.current)
    const api = await createApi(rest)
    const orders = await createPath(rest, api, '/orders')
    await lambdaProxyMethod(rest, api.id, orders, 'GET', fn)
    await deploy(rest, api.id, 'prod')
    const restDetail = await resource('apigateway', 'rest-api', api.id)
    assert.deepEqual(section(restDetail, 'Methods').data.rows.map((r: Json) => [r.path, r.method, r.integration]), [['/orders', 'GET', 'AWS_PROXY']])
    assert.deepEqual(section(restDetail, 'Stages').data.rows.map((r: Json) => r.stage), ['prod'])
    assert.deepEqual(restDetail.links, [{ label: 'Integration', service: 'lambda', type: 'function', id: fn }])
    const http = await apiGatewayV2Client(nimbus.current).send(new CreateApiCommand({ Name: 'console-http', ProtocolType: 'HTTP', Target: fn }))
    const { items } = await resources('apigatewayv2', 'http-api', 'console-http')
    assert.deepEqual([items[0].id, items[0].fields.routes], [http.ApiId, 1])
    const httpDetail = await resource('apigatewayv2', 'http-api', http.ApiId!)
    assert.deepEqual(section(httpDetail, 'Routes').data.rows.map((r: Json) => [r.routeKey, r.uri]), [['$default', fn]])
    assert.deepEqual(httpDetail.links.map((l: Json) => l.id), [fn])
  })
})
