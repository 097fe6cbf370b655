// awsJson1_0 round trips with the real @aws-sdk/client-sqs: what it sends we parse; what we send it parses.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import * as sqs from '@aws-sdk/client-sqs'
import { AwsError, protocolErrors } from '../../src/protocol/errors.ts'
import { awsJson } from '../../src/protocol/json-rpc/json-rpc.ts'
import { ServiceModel } from '../../src/protocol/model.ts'
import { model as sqsModel } from '../../src/services/sqs/generated/model.ts'
import { ProtocolHarness, withoutMetadata } from './sdk-harness.ts'

const model = new ServiceModel(sqsModel)
const QueueUrl = 'http://localhost:4566/000000000000/q'
const md5 = (text: string) => createHash('md5').update(text).digest('hex')

function setup() {
  const harness = new ProtocolHarness(awsJson, model)
  const client = new sqs.SQSClient({
    region: 'us-east-1', endpoint: 'http://localhost:4566', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1, requestHandler: harness.requestHandler,
  })
  return { harness, client }
}

describe('awsJson1_0 (SQS) round trips', () => {
  it('SendMessage: maps of structures with blobs and string lists, numbers; the output back', async () => {
    const { harness, client } = setup()
    const input = {
      QueueUrl, MessageBody: 'hello\r\n"world" & <friends> ü', DelaySeconds: 5, MessageGroupId: 'g', MessageDeduplicationId: 'd',
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'greeting' },
        raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
        n: { DataType: 'Number.int', StringValue: '42' },
      },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' } },
    }
    const output = { MessageId: 'm-1', MD5OfMessageBody: md5(input.MessageBody), MD5OfMessageAttributes: 'a'.repeat(32), SequenceNumber: '1' }
    const { parsed, request, result } = await harness.call(() => client.send(new sqs.SendMessageCommand(input)), { output })
    assert.equal(request.headers['x-amz-target'], 'AmazonSQS.SendMessage')
    assert.equal(parsed.operation.name, 'SendMessage')
    assert.deepEqual(parsed.input, input)
    assert.deepEqual(withoutMetadata(result), output)
  })

  it('SendMessageBatch: a list of structures; Successful and Failed lists with booleans back', async () => {
    const { harness, client } = setup()
    const input = { QueueUrl, Entries: [
      { Id: '1', MessageBody: 'one', DelaySeconds: 0 },
      { Id: '2', MessageBody: 'two', MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } },
    ] }
    const output = {
      Successful: [{ Id: '1', MessageId: 'm-1', MD5OfMessageBody: md5('one') }],
      Failed: [{ Id: '2', SenderFault: true, Code: 'InvalidParameterValue', Message: 'nope' }],
    }
    const { parsed, result } = await harness.call(() => client.send(new sqs.SendMessageBatchCommand(input)), { output })
    assert.deepEqual(parsed.input, input)
    assert.deepEqual(withoutMetadata(result), output)
  })

  it('ReceiveMessage: string lists and numbers in; messages with attribute maps and blobs back', async () => {
    const { harness, client } = setup()
    const input = { QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30,
      MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['SentTimestamp' as const, 'ApproximateReceiveCount' as const] }
    const output = { Messages: [{
      MessageId: 'm-1', ReceiptHandle: 'rh', Body: 'body', MD5OfBody: md5('body'),
      Attributes: { SentTimestamp: '1700000000000', ApproximateReceiveCount: '1' },
      MessageAttributes: { raw: { DataType: 'Binary', BinaryValue: new Uint8Array([9, 8, 7]) } },
    }] }
    const { parsed, result } = await harness.call(() => client.send(new sqs.ReceiveMessageCommand(input)), { output })
    assert.deepEqual(parsed.input, input)
    assert.deepEqual(withoutMetadata(result), output)
  })

  it('SetQueueAttributes and GetQueueAttributes: string maps both ways', async () => {
    const { harness, client } = setup()
    const Attributes = { VisibilityTimeout: '45', RedrivePolicy: '{"maxReceiveCount":"3"}' }
    const set = await harness.call(() => client.send(new sqs.SetQueueAttributesCommand({ QueueUrl, Attributes })), { output: {} })
    assert.deepEqual(set.parsed.input, { QueueUrl, Attributes })
    const got = await harness.call(() => client.send(new sqs.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })),
      { output: { Attributes } })
    assert.deepEqual(got.parsed.input, { QueueUrl, AttributeNames: ['All'] })
    assert.deepEqual(got.result.Attributes, Attributes)
  })

  it('a modelled error: __type names the shape, x-amzn-query-error the legacy code', async () => {
    const { harness, client } = setup()
    const error = await harness.fail(() => client.send(new sqs.GetQueueUrlCommand({ QueueName: 'missing' })),
      new AwsError('QueueDoesNotExist', 'The specified queue does not exist.'))
    assert.ok(error instanceof sqs.QueueDoesNotExist)
    assert.equal(error.name, 'QueueDoesNotExist')
    // SDK v3 exposes the legacy query code from x-amzn-query-error as `Code`.
    assert.equal((error as { Code?: string }).Code, 'AWS.SimpleQueueService.NonExistentQueue')
    assert.equal(error.message, 'The specified queue does not exist.')
    assert.equal(error.$metadata.httpStatusCode, 400)
    assert.equal(error.$fault, 'client')
  })

  it('an unmodelled server error keeps its code, status and fault', async () => {
    const { harness, client } = setup()
    const error = await harness.fail(() => client.send(new sqs.ListQueuesCommand({})), protocolErrors.internalFailure())
    assert.equal(error.name, 'InternalFailure')
    assert.equal(error.$metadata.httpStatusCode, 500)
    assert.equal(error.$fault, 'server')
  })

  it('an unknown target is UnknownOperationException', () => {
    const request = { method: 'POST', rawPath: '/', query: new URLSearchParams(),
      headers: { 'x-amz-target': 'AmazonSQS.Nope', 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from('{}') }
    assert.throws(() => awsJson.parseRequest(request, model), (e: AwsError) => e.code === 'UnknownOperationException')
  })
})
