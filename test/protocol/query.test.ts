// awsQuery round trips with the real aws-sdk v2 (SQS, before it moved to JSON), through a tiny
// server in front of our protocol functions: what it sends we parse; what we send it parses.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import AWSv2 from 'aws-sdk-v2-query'
import { AwsError } from '../../src/protocol/errors.ts'
import { ServiceModel } from '../../src/protocol/model.ts'
import { awsQuery } from '../../src/protocol/query/query.ts'
import { model as sqsModel } from '../../src/services/sqs/generated/model.ts'
import { ProtocolHarness, serveHarness } from './sdk-harness.ts'

const model = new ServiceModel(sqsModel)
// aws-sdk v2 sends a queue's requests to its QueueUrl, so the URL points at the test server.
let QueueUrl = ''
const md5 = (text: string) => createHash('md5').update(text).digest('hex')

const harness = new ProtocolHarness(awsQuery, model)
let server: Awaited<ReturnType<typeof serveHarness>>
let client: InstanceType<typeof AWSv2.SQS>
before(async () => {
  server = await serveHarness(harness)
  QueueUrl = `${server.endpoint}/000000000000/q`
  client = new AWSv2.SQS({ endpoint: server.endpoint, region: 'us-east-1', maxRetries: 0,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
})
after(() => server.close())

/** Calls a v2 method by its AWS operation name; answers with `reply`; returns parsed input and the SDK's output. */
async function call(operation: string, input: object, reply: { output: object } | { error: AwsError }) {
  const method = operation.charAt(0).toLowerCase() + operation.slice(1)
  const fn = (client as unknown as Record<string, (i: object) => { promise(): Promise<Record<string, unknown>> }>)[method]!
  harness.reply = () => reply
  const settled = await fn.call(client, input).promise().then((output) => ({ output }), (error: unknown) => ({ error }))
  return { parsed: harness.last.parsed, request: harness.last.request, ...settled } as {
    parsed: typeof harness.last.parsed; request: typeof harness.last.request
    output?: Record<string, unknown>; error?: Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any
}

function withoutResponseMetadata(output: Record<string, unknown> | undefined): Record<string, unknown> {
  const { ResponseMetadata: _, ...rest } = output ?? {}
  return rest
}

describe('awsQuery (SQS, aws-sdk v2) round trips', () => {
  it('SendMessage: flattened attribute maps with blobs, numbers; the result XML back', async () => {
    const input = {
      QueueUrl, MessageBody: 'hello\r\n"world" & <friends> ü', DelaySeconds: 5,
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'greeting' },
        raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
      },
    }
    const output = { MessageId: 'm-1', MD5OfMessageBody: md5(input.MessageBody), MD5OfMessageAttributes: 'b'.repeat(32) }
    const { parsed, request, output: result } = await call('SendMessage', input, { output })
    assert.match(request.body.toString(), /Action=SendMessage/)
    assert.match(request.body.toString(), /MessageAttribute\.1\.Name=/)
    assert.equal(parsed.operation.name, 'SendMessage')
    assert.deepEqual(parsed.input, input)
    assert.deepEqual(withoutResponseMetadata(result), output)
    assert.equal((result!.ResponseMetadata as { RequestId: string }).RequestId, 'req-1234')
  })

  it('SendMessageBatch: flattened entry lists; Successful and Failed with booleans back', async () => {
    const input = { QueueUrl, Entries: [
      { Id: '1', MessageBody: 'one', DelaySeconds: 0 },
      { Id: '2', MessageBody: 'two', MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } },
    ] }
    const output = {
      Successful: [{ Id: '1', MessageId: 'm-1', MD5OfMessageBody: md5('one') }],
      Failed: [{ Id: '2', SenderFault: true, Code: 'InvalidParameterValue', Message: 'nope' }],
    }
    const { parsed, output: result } = await call('SendMessageBatch', input, { output })
    assert.deepEqual(parsed.input, input)
    assert.deepEqual(withoutResponseMetadata(result), output)
  })

  it('ReceiveMessage: attribute name lists in; messages with flattened attribute maps and blobs back', async () => {
    const input = { QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ['All'], MessageAttributeNames: ['All'] }
    const output = { Messages: [{
      MessageId: 'm-1', ReceiptHandle: 'rh', Body: 'line1\r\nline2 & <3', MD5OfBody: md5('line1\r\nline2 & <3'),
      Attributes: { SentTimestamp: '1700000000000', ApproximateReceiveCount: '1' },
      MessageAttributes: { raw: { DataType: 'Binary', BinaryValue: Buffer.from([9, 8, 7]) } },
    }] }
    const { parsed, output: result } = await call('ReceiveMessage', input, { output })
    assert.deepEqual(parsed.input, input)
    // aws-sdk v2's query parser fills in lists the XML doesn't mention as [].
    const raw = { ...output.Messages[0]!.MessageAttributes.raw, StringListValues: [], BinaryListValues: [] }
    const expected = { Messages: [{ ...output.Messages[0]!, MessageAttributes: { raw } }] }
    assert.deepEqual(withoutResponseMetadata(result), expected)
  })

  it('SetQueueAttributes and ListQueues: a flattened string map in; a flattened string list out', async () => {
    const Attributes = { VisibilityTimeout: '45', RedrivePolicy: '{"maxReceiveCount":"3"}' }
    const set = await call('SetQueueAttributes', { QueueUrl, Attributes }, { output: {} })
    assert.deepEqual(set.parsed.input, { QueueUrl, Attributes })
    const listed = await call('ListQueues', { QueueNamePrefix: 'q', MaxResults: 5 }, { output: { QueueUrls: [QueueUrl, `${QueueUrl}2`] } })
    assert.deepEqual(listed.parsed.input, { QueueNamePrefix: 'q', MaxResults: 5 })
    assert.deepEqual(listed.output?.QueueUrls, [QueueUrl, `${QueueUrl}2`])
  })

  it('a modelled error: the legacy code and status in an ErrorResponse', async () => {
    const { error } = await call('GetQueueUrl', { QueueName: 'missing' },
      { error: new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', { queryMessage: 'The specified queue does not exist for this wsdl version.' }) })
    assert.equal(error?.code, 'AWS.SimpleQueueService.NonExistentQueue')
    assert.equal(error?.message, 'The specified queue does not exist for this wsdl version.')
    assert.equal(error?.statusCode, 400)
    assert.equal(error?.requestId, 'req-1234')
  })

  it('an unmodelled error keeps its code and status', async () => {
    const { error } = await call('ListQueues', {}, { error: new AwsError('ThrottlingException', 'slow down', { status: 429 }) })
    assert.equal(error?.code, 'ThrottlingException')
    assert.equal(error?.message, 'slow down')
    assert.equal(error?.statusCode, 429)
  })

  it('an unknown action is InvalidAction; a missing one MissingAction', () => {
    const request = (body: string) => ({ method: 'POST', rawPath: '/', query: new URLSearchParams(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(body) })
    assert.throws(() => awsQuery.parseRequest(request('Action=Nope&Version=2012-11-05'), model), (e: AwsError) => e.code === 'InvalidAction')
    assert.throws(() => awsQuery.parseRequest(request('Version=2012-11-05'), model), (e: AwsError) => e.code === 'MissingAction')
  })
})
