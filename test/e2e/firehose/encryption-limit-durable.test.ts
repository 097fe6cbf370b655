// The 25 Start/StopDeliveryStreamEncryption calls a stream takes in 24 hours are kept with the
// stream: a restart on the same data dir doesn't give it 25 more.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { StartDeliveryStreamEncryptionCommand, StopDeliveryStreamEncryptionCommand } from '@aws-sdk/client-firehose'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients, streamToBucket } from './firehose-helpers.ts'

describe('Firehose encryption calls across a restart', () => {
  it('still counts the calls of the last 24 hours', async () => {
    const durable = await durableNimbus('firehose-encryption-calls')
    const { firehose, name } = await streamToBucket(durable.nimbus)
    await advance(durable.nimbus, 5_000)
    for (let i = 0; i < 25; i++) {
      await firehose.send(i % 2 === 0
        ? new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: name })
        : new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: name }))
    }
    await durable.restart()
    const after = clients(durable.nimbus).firehose
    const refused = await sdkError(after.send(new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: name })))
    assert.equal(refused.name, 'LimitExceededException')
    await durable.stop()
  })
})
