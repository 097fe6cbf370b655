// Another project's view: `import { startNimbus } from 'nimbus-local'` (the built package, by its own
// name), in-process, port 0, a manual clock, and a clean stop.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { startNimbus } from 'nimbus-local'

describe('embedding', () => {
  it('starts in-process from the package, moves time, and stops', async () => {
    const nimbus = await startNimbus({ port: 0, clock: 'manual' })
    try {
      assert.match(nimbus.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/)
      const sqs = new SQSClient({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'embedded', Attributes: { DelaySeconds: '60' } }))
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'in a minute' }))
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined)
      nimbus.clock.advance(60_000)
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body, 'in a minute')
      sqs.destroy()
    } finally {
      await nimbus.stop()
    }
  })
})
