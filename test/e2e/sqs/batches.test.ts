// SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch on standard queues.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'
import { attributesMd5, md5 } from '../../helpers/sqs-md5.ts'

const nimbus = useNimbus()

async function newQueue(sqs: SqsTestClient, Attributes?: Record<string, string>): Promise<string> {
  return (await sqs.call('CreateQueue', { QueueName: uniqueName(), ...(Attributes ? { Attributes } : {}) })).QueueUrl
}

interface Received { MessageId: string; ReceiptHandle: string; Body: string }

const batchOperations = {
  SendMessageBatch: (i: number) => ({ Id: `e${i}`, MessageBody: `body ${i}` }),
  DeleteMessageBatch: (i: number) => ({ Id: `e${i}`, ReceiptHandle: `handle-${i}` }),
  ChangeMessageVisibilityBatch: (i: number) => ({ Id: `e${i}`, ReceiptHandle: `handle-${i}`, VisibilityTimeout: 5 }),
}
const entryName = { SendMessageBatch: 'SendMessageBatchRequestEntry', DeleteMessageBatch: 'DeleteMessageBatchRequestEntry',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibilityBatchRequestEntry' }

for (const protocol of sqsProtocols) {
  describe(`SQS batch operations over ${protocol}`, () => {
    const sqs = () => sqsClient(nimbus.current, protocol)
    const receiveAll = async (url: string): Promise<Received[]> =>
      (await sqs().call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages ?? []

    for (const [operation, entry] of Object.entries(batchOperations)) {
      it(`${operation}: rejects an empty batch, 11 entries, bad and repeated ids as whole requests`, async () => {
        const url = await newQueue(sqs())
        const fail = (Entries: unknown[]) => sqs().fail(operation, { QueueUrl: url, Entries })
        const empty = await fail([])
        assert.equal(empty.code, 'AWS.SimpleQueueService.EmptyBatchRequest')
        assert.equal(empty.status, 400)
        assert.equal(empty.message, `There should be at least one ${entryName[operation as keyof typeof entryName]} in the request.`)
        assert.deepEqual(await fail(Array.from({ length: 11 }, (_, i) => entry(i))), {
          code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400,
          message: 'Maximum number of entries per request are 10. You have sent 11.',
        })
        for (const id of ['has space', 'x'.repeat(81), 'dot.id', '']) {
          assert.deepEqual(await fail([entry(0), { ...entry(1), Id: id }]), {
            code: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400,
            message: 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
          }, JSON.stringify(id))
        }
        const repeated = await fail([entry(0), entry(1), { ...entry(2), Id: 'e0' }])
        assert.equal(repeated.code, 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct')
        assert.equal(repeated.status, 400)
        assert.match(repeated.message, /e0/)
        // Ten entries with 80-character ids of every allowed kind are fine as a request.
        const ids = Array.from({ length: 10 }, (_, i) => `${i}_Ab-`.padEnd(80, 'z'))
        const result = await sqs().call(operation, { QueueUrl: url, Entries: ids.map((Id, i) => ({ ...entry(i), Id })) })
        assert.equal((result.Successful ?? []).length + (result.Failed ?? []).length, 10)
      })
    }

    it('sends a batch, answering each entry\'s id, message id and digests', async () => {
      const url = await newQueue(sqs())
      const attrs = { kind: { DataType: 'String', StringValue: 'batch' } }
      const result = await sqs().call('SendMessageBatch', {
        QueueUrl: url,
        Entries: [
          { Id: 'plain', MessageBody: 'one' },
          { Id: 'with-attrs', MessageBody: 'two', MessageAttributes: attrs },
          { Id: 'delayed', MessageBody: 'three', DelaySeconds: 30 },
        ],
      })
      assert.equal(result.Failed?.length ?? 0, 0)
      const byId = Object.fromEntries(result.Successful.map((e: { Id: string }) => [e.Id, e]))
      assert.deepEqual(Object.keys(byId).sort(), ['delayed', 'plain', 'with-attrs'])
      assert.equal(byId['plain'].MD5OfMessageBody, md5('one'))
      assert.equal(byId['plain'].MD5OfMessageAttributes, undefined)
      assert.equal(byId['with-attrs'].MD5OfMessageAttributes, attributesMd5(attrs))
      const now = await receiveAll(url)
      assert.deepEqual(now.map((m) => m.Body).sort(), ['one', 'two'])
      for (const m of now) await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle })
      await advance(nimbus.current, 30_000)
      const later = await receiveAll(url)
      assert.deepEqual(later.map((m) => m.MessageId), [byId['delayed'].MessageId])
    })

    it('rejects a batch over 1 MiB in total before sending any entry', async () => {
      const url = await newQueue(sqs())
      const Entries = [{ Id: 'a', MessageBody: 'x'.repeat(524_288) }, { Id: 'b', MessageBody: 'y'.repeat(524_289) }]
      assert.deepEqual(await sqs().fail('SendMessageBatch', { QueueUrl: url, Entries }), {
        code: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400,
        message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
      })
      assert.deepEqual(await receiveAll(url), [])
      // Exactly 1 MiB in total is accepted.
      const ok = await sqs().call('SendMessageBatch', { QueueUrl: url, Entries: [Entries[0], { Id: 'b', MessageBody: 'y'.repeat(524_288) }] })
      assert.equal(ok.Successful.length, 2)
    })

    it('reports entries that fail in Failed[] while the others are sent', async () => {
      const url = await newQueue(sqs(), { MaximumMessageSize: '1024' })
      const result = await sqs().call('SendMessageBatch', {
        QueueUrl: url,
        Entries: [
          { Id: 'ok', MessageBody: 'fine' },
          { Id: 'big', MessageBody: 'x'.repeat(1025) },
          { Id: 'bad-attr', MessageBody: 'x', MessageAttributes: { 'AWS.reserved': { DataType: 'String', StringValue: 'v' } } },
          { Id: 'ok2', MessageBody: 'also fine' },
        ],
      })
      assert.deepEqual(result.Successful.map((e: { Id: string }) => e.Id), ['ok', 'ok2'])
      const failed = Object.fromEntries(result.Failed.map((e: { Id: string }) => [e.Id, e]))
      assert.deepEqual(failed['big'], {
        Id: 'big', SenderFault: true, Code: 'InvalidParameterValue',
        Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
      })
      assert.equal(failed['bad-attr'].Code, 'InvalidParameterValue')
      assert.equal(failed['bad-attr'].SenderFault, true)
      assert.deepEqual((await receiveAll(url)).map((m) => m.Body).sort(), ['also fine', 'fine'])
    })

    it('deletes a batch, failing only the entries with unusable handles', async () => {
      const url = await newQueue(sqs())
      await sqs().call('SendMessageBatch', { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] })
      const messages = await receiveAll(url)
      const result = await sqs().call('DeleteMessageBatch', {
        QueueUrl: url,
        Entries: [
          { Id: 'first', ReceiptHandle: messages[0]!.ReceiptHandle },
          { Id: 'garbage', ReceiptHandle: 'garbage' },
          { Id: 'second', ReceiptHandle: messages[1]!.ReceiptHandle },
        ],
      })
      assert.deepEqual(result.Successful.map((e: { Id: string }) => e.Id).sort(), ['first', 'second'])
      assert.deepEqual(result.Failed, [{
        Id: 'garbage', SenderFault: true, Code: 'ReceiptHandleIsInvalid',
        Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      }])
      await advance(nimbus.current, 30_000)
      assert.deepEqual(await receiveAll(url), [])
    })

    it('changes visibility in a batch, failing deleted messages and out-of-range timeouts per entry', async () => {
      const url = await newQueue(sqs())
      await sqs().call('SendMessageBatch', {
        QueueUrl: url, Entries: ['a', 'b', 'c'].map((b) => ({ Id: b, MessageBody: b })),
      })
      const messages = await receiveAll(url)
      const handle = (body: string) => messages.find((m) => m.Body === body)!.ReceiptHandle
      await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: handle('c') })
      const result = await sqs().call('ChangeMessageVisibilityBatch', {
        QueueUrl: url,
        Entries: [
          { Id: 'now', ReceiptHandle: handle('a'), VisibilityTimeout: 0 },
          { Id: 'later', ReceiptHandle: handle('b'), VisibilityTimeout: 100 },
          { Id: 'gone', ReceiptHandle: handle('c'), VisibilityTimeout: 10 },
          { Id: 'too-long', ReceiptHandle: handle('b'), VisibilityTimeout: 43_201 },
        ],
      })
      assert.deepEqual(result.Successful.map((e: { Id: string }) => e.Id).sort(), ['later', 'now'])
      const failed = Object.fromEntries(result.Failed.map((e: { Id: string }) => [e.Id, e]))
      assert.deepEqual(failed['gone'], {
        Id: 'gone', SenderFault: true, Code: 'InvalidParameterValue',
        Message: `Value ${handle('c')} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      })
      assert.equal(failed['too-long'].Code, 'InvalidParameterValue')
      const released = await receiveAll(url)
      assert.deepEqual(released.map((m) => m.Body), ['a'])
      await sqs().call('DeleteMessage', { QueueUrl: url, ReceiptHandle: released[0]!.ReceiptHandle })
      await advance(nimbus.current, 99_999)
      assert.deepEqual((await receiveAll(url)).map((m) => m.Body), [])
      await advance(nimbus.current, 1)
      assert.deepEqual((await receiveAll(url)).map((m) => m.Body), ['b'])
    })
  })
}
