// Standard queues: CreateQueue (idempotency, names, deleted-recently), GetQueueUrl, ListQueues, DeleteQueue.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()
const account = '000000000000'
const nameError = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length'

async function createQueue(sqs: SqsTestClient, name: string, Attributes?: Record<string, string>): Promise<string> {
  const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: name, ...(Attributes ? { Attributes } : {}) })
  return QueueUrl as string
}

for (const protocol of sqsProtocols) {
  describe(`SQS queues over ${protocol}`, () => {
    const sqs = () => sqsClient(nimbus.current, protocol)

    it('answers <endpoint>/<account>/<name> and the same URL when created again with the same attributes', async () => {
      const name = uniqueName()
      const url = await createQueue(sqs(), name, { VisibilityTimeout: '45' })
      assert.equal(url, `${nimbus.current.endpoint}/${account}/${name}`)
      assert.equal(await createQueue(sqs(), name, { VisibilityTimeout: '45' }), url)
      // Only the attributes given are compared: none given means no conflict.
      assert.equal(await createQueue(sqs(), name), url)
      // A given attribute equal to the (default) current value is no conflict either.
      assert.equal(await createQueue(sqs(), name, { DelaySeconds: '0' }), url)
    })

    it('refuses the same name with a different attribute value', async () => {
      const name = uniqueName()
      await createQueue(sqs(), name, { VisibilityTimeout: '45' })
      const error = await sqs().fail('CreateQueue', { QueueName: name, Attributes: { VisibilityTimeout: '46' } })
      assert.deepEqual(error, {
        code: 'QueueAlreadyExists', status: 400,
        message: 'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
      })
      const other = await sqs().fail('CreateQueue', { QueueName: name, Attributes: { MessageRetentionPeriod: '60' } })
      assert.equal(other.message, 'A queue already exists with the same name and a different value for attribute MessageRetentionPeriod')
    })

    it('accepts names of 1 to 80 alphanumerics, hyphens and underscores, case-sensitively', async () => {
      const long = `${uniqueName('n')}_`.padEnd(80, 'x')
      assert.equal(long.length, 80)
      assert.match(await createQueue(sqs(), long), new RegExp(`/${long}$`))
      const lower = uniqueName('case')
      const upper = lower.toUpperCase()
      const a = await createQueue(sqs(), lower)
      const b = await createQueue(sqs(), upper)
      assert.notEqual(a, b)
    })

    for (const bad of ['x'.repeat(81), 'has space', 'dot.name', 'standard.fifo', 'slash/name', 'ümlaut']) {
      it(`rejects the queue name ${JSON.stringify(bad.length > 20 ? `${bad.slice(0, 8)}…(${bad.length})` : bad)}`, async () => {
        const error = await sqs().fail('CreateQueue', { QueueName: bad })
        assert.deepEqual(error, { code: 'InvalidParameterValue', message: nameError, status: 400 })
      })
    }

    it('refuses to re-create a deleted name for 60 seconds, then allows it', async () => {
      const name = uniqueName()
      const url = await createQueue(sqs(), name)
      await sqs().call('DeleteQueue', { QueueUrl: url })
      const error = await sqs().fail('CreateQueue', { QueueName: name })
      assert.equal(error.code, 'AWS.SimpleQueueService.QueueDeletedRecently')
      assert.equal(error.status, 400)
      assert.match(error.message, /wait 60 seconds after deleting a queue/)
      await advance(nimbus.current, 59_999)
      assert.equal((await sqs().fail('CreateQueue', { QueueName: name })).code, 'AWS.SimpleQueueService.QueueDeletedRecently')
      await advance(nimbus.current, 1)
      assert.equal(await createQueue(sqs(), name), url)
    })

    it('forgets a deleted queue at once: its URL names no queue any more', async () => {
      const url = await createQueue(sqs(), uniqueName())
      await sqs().call('DeleteQueue', { QueueUrl: url })
      const error = await sqs().fail('SendMessage', { QueueUrl: url, MessageBody: 'x' })
      assert.equal(error.code, 'AWS.SimpleQueueService.NonExistentQueue')
      assert.equal(error.message, protocol === 'json'
        ? 'The specified queue does not exist.'
        : 'The specified queue does not exist for this wsdl version.')
      assert.equal((await sqs().fail('DeleteQueue', { QueueUrl: url })).code, 'AWS.SimpleQueueService.NonExistentQueue')
    })

    it('keeps tags given at creation', async () => {
      const url = (await sqs().call('CreateQueue', { QueueName: uniqueName(), tags: { team: 'core', env: 'test' } })).QueueUrl
      const { Tags } = await sqs().call('ListQueueTags', { QueueUrl: url })
      assert.deepEqual(Tags, { team: 'core', env: 'test' })
    })

    it('finds a queue URL by name, and names a missing one NonExistentQueue', async () => {
      const name = uniqueName()
      const url = await createQueue(sqs(), name)
      assert.deepEqual(await sqs().call('GetQueueUrl', { QueueName: name }), { QueueUrl: url })
      const error = await sqs().fail('GetQueueUrl', { QueueName: `${name}-missing` })
      assert.equal(error.code, 'AWS.SimpleQueueService.NonExistentQueue')
      assert.equal(error.status, 400)
    })

    it('finds another account\'s queue with QueueOwnerAWSAccountId', async () => {
      const owner = '111122223333'
      const other = sqsClient(nimbus.current, protocol, 'us-east-1', { accessKeyId: owner, secretAccessKey: 'x' })
      const name = uniqueName('shared')
      const url = await createQueue(other, name)
      assert.equal(url, `${nimbus.current.endpoint}/${owner}/${name}`)
      // Not in the caller's own account…
      assert.equal((await sqs().fail('GetQueueUrl', { QueueName: name })).code, 'AWS.SimpleQueueService.NonExistentQueue')
      // …but found when the owner is named.
      assert.deepEqual(await sqs().call('GetQueueUrl', { QueueName: name, QueueOwnerAWSAccountId: owner }), { QueueUrl: url })
      const attributes = await other.call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn'] })
      assert.equal(attributes.Attributes.QueueArn, `arn:aws:sqs:us-east-1:${owner}:${name}`)
    })

    it('lists queues by name prefix', async () => {
      const prefix = `${uniqueName('list')}_`
      const urls = [] as string[]
      for (const suffix of ['b', 'a', 'c']) urls.push(await createQueue(sqs(), prefix + suffix))
      const { QueueUrls, NextToken } = await sqs().call('ListQueues', { QueueNamePrefix: prefix })
      assert.deepEqual([...QueueUrls].sort(), [...urls].sort())
      assert.equal(NextToken, undefined)
      const none = await sqs().call('ListQueues', { QueueNamePrefix: `${prefix}zzz` })
      assert.equal(none.QueueUrls, undefined)
    })

    it('pages with MaxResults and NextToken, and gives no NextToken without MaxResults', async () => {
      const prefix = `${uniqueName('page')}_`
      const urls = [] as string[]
      for (const suffix of ['1', '2', '3', '4', '5']) urls.push(await createQueue(sqs(), prefix + suffix))
      const seen: string[] = []
      let token: string | undefined
      let pages = 0
      do {
        const page = await sqs().call('ListQueues', { QueueNamePrefix: prefix, MaxResults: 2, ...(token ? { NextToken: token } : {}) })
        assert.ok(page.QueueUrls.length <= 2)
        seen.push(...page.QueueUrls)
        token = page.NextToken
        pages++
      } while (token !== undefined)
      assert.equal(pages, 3)
      assert.deepEqual(seen.sort(), urls.sort())
      const all = await sqs().call('ListQueues', { QueueNamePrefix: prefix })
      assert.equal(all.QueueUrls.length, 5)
      assert.equal(all.NextToken, undefined)
      // Exactly MaxResults left: no further page.
      const exact = await sqs().call('ListQueues', { QueueNamePrefix: prefix, MaxResults: 5 })
      assert.equal(exact.QueueUrls.length, 5)
      assert.equal(exact.NextToken, undefined)
    })

    it('lists only the caller\'s account and region', async () => {
      const prefix = `${uniqueName('scope')}_`
      await createQueue(sqs(), `${prefix}here`)
      const elsewhere = sqsClient(nimbus.current, protocol, 'eu-west-1')
      const there = await createQueue(elsewhere, `${prefix}there`)
      const here = await sqs().call('ListQueues', { QueueNamePrefix: prefix })
      assert.deepEqual(here.QueueUrls, [`${nimbus.current.endpoint}/${account}/${prefix}here`])
      const theirs = await elsewhere.call('ListQueues', { QueueNamePrefix: prefix })
      assert.deepEqual(theirs.QueueUrls, [there])
    })
  })
}
