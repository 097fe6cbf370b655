// Put/GetBucketNotificationConfiguration: the round trip and AWS's checks (aws-behaviour.md §4.2, §4.3).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { createTopic, snsClient } from '../../helpers/sns.ts'
import { fifoQueue, standardQueue } from '../../helpers/sqs-queues.ts'
import { account, createBucket, putNotifications, sqs } from './notification-fixtures.ts'

const nimbus = useNimbus()
const s3 = () => s3Client(nimbus.current)
const auth = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' }
const ns = 'http://s3.amazonaws.com/doc/2006-03-01/'

/** PUT ?notification with a raw document; the <Error> fields as a record. */
async function putRaw(Bucket: string, body: string, headers: Record<string, string> = {}) {
  const response = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}?notification`, body, headers: { ...auth, ...headers } })
  const fields = Object.fromEntries([...response.body.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((m) => [m[1]!, m[2]!]))
  return { status: response.status, fields }
}

const queueDoc = (arn: string, events: string[], rules: Array<[string, string]> = [], id = '') =>
  `<QueueConfiguration>${id === '' ? '' : `<Id>${id}</Id>`}<Queue>${arn}</Queue>${events.map((e) => `<Event>${e}</Event>`).join('')}` +
  (rules.length === 0 ? '' : `<Filter><S3Key>${rules.map(([n, v]) => `<FilterRule><Name>${n}</Name><Value>${v}</Value></FilterRule>`).join('')}</S3Key></Filter>`) +
  '</QueueConfiguration>'
const doc = (...parts: string[]) => `<NotificationConfiguration xmlns="${ns}">${parts.join('')}</NotificationConfiguration>`

describe('S3 notification configuration', () => {
  it('round-trips every destination kind, generating missing Ids and capitalising filter rule names', async () => {
    const Bucket = await createBucket(s3())
    const queue = await standardQueue(sqs(nimbus.current))
    const topic = await createTopic(snsClient(nimbus.current))
    const fn = await createFunction(lambdaClient(nimbus.current), 'exports.handler = async () => {}')
    const fnArn = `arn:aws:lambda:us-east-1:${account}:function:${fn}`
    assert.deepEqual(Object.keys(await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }))), ['$metadata'])
    await putNotifications(s3(), Bucket, {
      QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } } }],
      TopicConfigurations: [{ Id: 'topic', TopicArn: topic, Events: ['s3:ObjectRemoved:Delete', 's3:ObjectTagging:*'] }],
      LambdaFunctionConfigurations: [{ Id: 'fn', LambdaFunctionArn: fnArn, Events: ['s3:ObjectCreated:Put'],
        Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } } }],
      EventBridgeConfiguration: {},
    })
    const got = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }))
    const generated = got.QueueConfigurations?.[0]?.Id
    assert.ok(generated !== undefined && generated.length > 0, 'S3 generates an Id when none is given')
    assert.deepEqual(got.QueueConfigurations, [{ Id: generated, QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }, { Name: 'Suffix', Value: '.csv' }] } } }])
    assert.deepEqual(got.TopicConfigurations, [{ Id: 'topic', TopicArn: topic, Events: ['s3:ObjectRemoved:Delete', 's3:ObjectTagging:*'] }])
    assert.deepEqual(got.LambdaFunctionConfigurations, [{ Id: 'fn', LambdaFunctionArn: fnArn, Events: ['s3:ObjectCreated:Put'],
      Filter: { Key: { FilterRules: [{ Name: 'Suffix', Value: '.jpg' }] } } }])
    assert.deepEqual(got.EventBridgeConfiguration, {})
    // An empty document removes everything.
    await putNotifications(s3(), Bucket, {})
    const cleared = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }))
    assert.equal(cleared.QueueConfigurations, undefined)
    assert.equal(cleared.EventBridgeConfiguration, undefined)
  })

  it('rejects destinations that do not exist, listing each as AWS does, unless validation is skipped', async () => {
    const Bucket = await createBucket(s3())
    const queueArn = `arn:aws:sqs:us-east-1:${account}:missing-queue`
    const topicArn = `arn:aws:sns:us-east-1:${account}:missing-topic`
    const fnArn = `arn:aws:lambda:us-east-1:${account}:function:missing-fn`
    const result = await putRaw(Bucket, doc(queueDoc(queueArn, ['s3:ObjectCreated:*']),
      `<TopicConfiguration><Topic>${topicArn}</Topic><Event>s3:ObjectRemoved:*</Event></TopicConfiguration>`,
      `<CloudFunctionConfiguration><CloudFunction>${fnArn}</CloudFunction><Event>s3:ObjectTagging:*</Event></CloudFunctionConfiguration>`))
    assert.equal(result.status, 400)
    assert.equal(result.fields.Code, 'InvalidArgument')
    assert.equal(result.fields.Message, 'Unable to validate the following destination configurations')
    assert.equal(result.fields.ArgumentName1, `${topicArn}, null`)
    assert.equal(result.fields.ArgumentValue1, 'The destination topic does not exist')
    assert.equal(result.fields.ArgumentName2, `${queueArn}, null`)
    assert.equal(result.fields.ArgumentValue2, 'The destination queue does not exist')
    assert.equal(result.fields.ArgumentName3, `${fnArn}, null`)
    assert.equal(result.fields.ArgumentValue3, `Not authorized to invoke function [${fnArn}]`)
    const skipped = await putRaw(Bucket, doc(queueDoc(queueArn, ['s3:ObjectCreated:*'])), { 'x-amz-skip-destination-validation': 'true' })
    assert.equal(skipped.status, 200)
    const got = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }))
    assert.equal(got.QueueConfigurations?.[0]?.QueueArn, queueArn)
  })

  it('rejects FIFO queues and destinations in another region', async () => {
    const Bucket = await createBucket(s3())
    const fifo = await fifoQueue(sqs(nimbus.current))
    const r1 = await putRaw(Bucket, doc(queueDoc(fifo.arn, ['s3:ObjectCreated:*'])))
    assert.equal(r1.fields.Message, 'Unable to validate the following destination configurations')
    assert.equal(r1.fields.ArgumentName1, `${fifo.arn}, null`)
    const queue = await standardQueue(sqs(nimbus.current))
    const r2 = await putRaw(Bucket, doc(queueDoc(queue.arn.replace('us-east-1', 'eu-west-1'), ['s3:ObjectCreated:*'])))
    assert.equal(r2.fields.Code, 'InvalidArgument')
  })

  it('answers each malformed configuration with AWS\'s error and keeps the previous configuration', async () => {
    const Bucket = await createBucket(s3())
    const queue = await standardQueue(sqs(nimbus.current))
    const other = await standardQueue(sqs(nimbus.current))
    await putNotifications(s3(), Bucket, { QueueConfigurations: [{ Id: 'kept', QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'] }] })
    const cases: Array<{ name: string; body: string; code: string; message?: string; argument?: [string, string] }> = [
      { name: 'not XML', body: '<NotificationConfiguration><QueueConfiguration>', code: 'MalformedXML' },
      { name: 'an unparseable ARN', body: doc(queueDoc('arn:aws:sqs:nope', ['s3:ObjectCreated:*'])), code: 'InvalidArgument',
        message: 'The ARN could not be parsed', argument: ['Queue', 'arn:aws:sqs:nope'] },
      { name: 'an unknown event', body: doc(queueDoc(queue.arn, ['s3:ObjectCreated:Teleport'])), code: 'InvalidArgument',
        message: 'The event is not supported for notifications', argument: ['Event', 's3:ObjectCreated:Teleport'] },
      { name: 'a wildcard at the top level', body: doc(queueDoc(queue.arn, ['s3:*'])), code: 'InvalidArgument',
        message: 'The event is not supported for notifications' },
      { name: 'a filter rule that is neither prefix nor suffix', body: doc(queueDoc(queue.arn, ['s3:ObjectCreated:*'], [['middle', 'x']])),
        code: 'InvalidArgument', message: 'filter rule name must be either prefix or suffix', argument: ['FilterRule.Name', 'middle'] },
      { name: 'two prefix rules', body: doc(queueDoc(queue.arn, ['s3:ObjectCreated:*'], [['prefix', 'a'], ['Prefix', 'b']])),
        code: 'InvalidArgument', message: 'Cannot specify more than one prefix rule in a filter.' },
      { name: 'a configuration with no event', body: doc(`<QueueConfiguration><Queue>${queue.arn}</Queue></QueueConfiguration>`),
        code: 'MalformedXML' },
      { name: 'overlapping wildcard and specific events', code: 'InvalidArgument',
        body: doc(queueDoc(queue.arn, ['s3:ObjectCreated:*']), queueDoc(other.arn, ['s3:ObjectCreated:Put'])),
        message: 'Configurations overlap. Configurations on the same bucket cannot share a common event type.' },
      { name: 'nested prefixes with the same suffix', code: 'InvalidArgument',
        body: doc(queueDoc(queue.arn, ['s3:ObjectCreated:Put'], [['prefix', 'img/'], ['suffix', '.jpg']]),
          queueDoc(other.arn, ['s3:ObjectCreated:*'], [['prefix', 'img/thumbs/'], ['suffix', '.jpg']])),
        message: 'Configurations overlap. Configurations on the same bucket cannot share a common event type.' },
    ]
    for (const c of cases) {
      const { status, fields } = await putRaw(Bucket, c.body)
      assert.equal(status, 400, c.name)
      assert.equal(fields.Code, c.code, c.name)
      if (c.message !== undefined) assert.equal(fields.Message, c.message, c.name)
      if (c.argument !== undefined) assert.deepEqual([fields.ArgumentName, fields.ArgumentValue], c.argument, c.name)
    }
    const got = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }))
    assert.deepEqual(got.QueueConfigurations?.map((q) => q.Id), ['kept'])
  })

  it('accepts configurations whose filters cannot both match a key, and upper-case rule names', async () => {
    const Bucket = await createBucket(s3())
    const [a, b, c] = [await standardQueue(sqs(nimbus.current)), await standardQueue(sqs(nimbus.current)), await standardQueue(sqs(nimbus.current))]
    const { status } = await putRaw(Bucket, doc(
      queueDoc(a.arn, ['s3:ObjectCreated:*'], [['Prefix', 'images/'], ['SUFFIX', '.jpg']]),
      queueDoc(b.arn, ['s3:ObjectCreated:*'], [['prefix', 'images/'], ['suffix', '.png']]),
      queueDoc(c.arn, ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], [['prefix', 'docs/']]),
      // Same filter, different event family: no overlap.
      queueDoc(a.arn, ['s3:ObjectRemoved:*'], [['prefix', 'images/']])))
    assert.equal(status, 200)
    const got = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }))
    assert.equal(got.QueueConfigurations?.length, 4)
  })

  it('answers NoSuchBucket for a missing bucket', async () => {
    const { status, fields } = await putRaw(bucketName('nobucket'), doc())
    assert.equal(status, 404)
    assert.equal(fields.Code, 'NoSuchBucket')
  })
})
