// TagQueue / UntagQueue / ListQueueTags and AddPermission / RemovePermission on standard queues.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient, sqsProtocols, type SqsTestClient } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus()

async function newQueue(sqs: SqsTestClient): Promise<{ url: string; arn: string }> {
  const name = uniqueName()
  const { QueueUrl } = await sqs.call('CreateQueue', { QueueName: name })
  return { url: QueueUrl, arn: `arn:aws:sqs:us-east-1:000000000000:${name}` }
}

interface Statement { Sid: string; Effect: string; Principal: { AWS: string | string[] }; Action: string | string[]; Resource: string }

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value])

for (const protocol of sqsProtocols) {
  describe(`SQS tags and permissions over ${protocol}`, () => {
    const sqs = () => sqsClient(nimbus.current, protocol)
    const tags = async (url: string) => (await sqs().call('ListQueueTags', { QueueUrl: url })).Tags
    const policy = async (url: string) => {
      const { Attributes } = await sqs().call('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['Policy'] })
      return Attributes?.Policy === undefined ? undefined : JSON.parse(Attributes.Policy) as { Version: string; Id: string; Statement: Statement[] }
    }

    it('adds, overwrites, lists and removes tags', async () => {
      const { url } = await newQueue(sqs())
      assert.equal(await tags(url), undefined)
      await sqs().call('TagQueue', { QueueUrl: url, Tags: { team: 'core', env: 'dev' } })
      await sqs().call('TagQueue', { QueueUrl: url, Tags: { env: 'prod', cost: '42' } })
      assert.deepEqual(await tags(url), { team: 'core', env: 'prod', cost: '42' })
      await sqs().call('UntagQueue', { QueueUrl: url, TagKeys: ['team', 'not-there'] })
      assert.deepEqual(await tags(url), { env: 'prod', cost: '42' })
      await sqs().call('UntagQueue', { QueueUrl: url, TagKeys: ['env', 'cost'] })
      assert.equal(await tags(url), undefined)
    })

    it('names a missing queue NonExistentQueue for tag operations', async () => {
      const url = `${nimbus.current.endpoint}/000000000000/${uniqueName('gone')}`
      for (const [operation, input] of [['TagQueue', { Tags: { a: 'b' } }], ['UntagQueue', { TagKeys: ['a'] }], ['ListQueueTags', {}]] as const) {
        const error = await sqs().fail(operation, { QueueUrl: url, ...input })
        assert.equal(error.code, 'AWS.SimpleQueueService.NonExistentQueue', operation)
      }
    })

    it('writes AddPermission grants into a policy with Id <arn>/SQSDefaultPolicy', async () => {
      const { url, arn } = await newQueue(sqs())
      await sqs().call('AddPermission', {
        QueueUrl: url, Label: 'let-them-send', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'],
      })
      await sqs().call('AddPermission', {
        QueueUrl: url, Label: 'let-them-read', AWSAccountIds: ['111122223333', '444455556666'], Actions: ['ReceiveMessage', 'DeleteMessage'],
      })
      const doc = await policy(url)
      assert.equal(doc?.Version, '2012-10-17')
      assert.equal(doc?.Id, `${arn}/SQSDefaultPolicy`)
      assert.deepEqual(doc?.Statement.map((s) => s.Sid), ['let-them-send', 'let-them-read'])
      const [send, read] = doc!.Statement
      assert.equal(send!.Effect, 'Allow')
      assert.equal(send!.Resource, arn)
      assert.deepEqual(asList(send!.Principal.AWS), ['arn:aws:iam::111122223333:root'])
      assert.deepEqual(asList(send!.Action), ['SQS:SendMessage'])
      assert.deepEqual(asList(read!.Principal.AWS).sort(), ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root'])
      assert.deepEqual(asList(read!.Action).sort(), ['SQS:DeleteMessage', 'SQS:ReceiveMessage'])
    })

    it('refuses a label that already exists, with AWS\'s wording', async () => {
      const { url } = await newQueue(sqs())
      const grant = { QueueUrl: url, Label: 'dup', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }
      await sqs().call('AddPermission', grant)
      assert.deepEqual(await sqs().fail('AddPermission', grant), {
        code: 'InvalidParameterValue', status: 400, message: 'Value dup for parameter Label is invalid. Reason: Already exists.',
      })
    })

    it('removes a permission by label, and refuses an unknown label with AWS\'s wording', async () => {
      const { url } = await newQueue(sqs())
      for (const Label of ['keep', 'drop']) {
        await sqs().call('AddPermission', { QueueUrl: url, Label, AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })
      }
      await sqs().call('RemovePermission', { QueueUrl: url, Label: 'drop' })
      assert.deepEqual((await policy(url))?.Statement.map((s) => s.Sid), ['keep'])
      assert.deepEqual(await sqs().fail('RemovePermission', { QueueUrl: url, Label: 'drop' }), {
        code: 'InvalidParameterValue', status: 400, message: 'Value drop for parameter Label is invalid. Reason: can\'t find label.',
      })
      await sqs().call('RemovePermission', { QueueUrl: url, Label: 'keep' })
      // With its last statement gone the label can be granted afresh.
      await sqs().call('AddPermission', { QueueUrl: url, Label: 'keep', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })
      assert.deepEqual((await policy(url))?.Statement.map((s) => s.Sid), ['keep'])
    })

    it('refuses RemovePermission on a queue that has no policy', async () => {
      const { url } = await newQueue(sqs())
      const error = await sqs().fail('RemovePermission', { QueueUrl: url, Label: 'nothing' })
      assert.equal(error.code, 'InvalidParameterValue')
      assert.equal(error.message, 'Value nothing for parameter Label is invalid. Reason: can\'t find label.')
    })
  })
}
