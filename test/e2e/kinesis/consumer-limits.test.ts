// How many enhanced fan-out consumers a stream may have, as AWS's developer guide states it: "With
// On-demand Advantage mode, you can register up to 50 consumers per stream to use enhanced fan-out. With
// On-demand Standard and Provisioned streams, you can register up to 20". On-demand Advantage is the
// account-level mode of a minimum throughput billing commitment (UpdateAccountSettings).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, type KinesisClient, RegisterStreamConsumerCommand, UpdateAccountSettingsCommand,
} from '@aws-sdk/client-kinesis'
import { kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const REGION = 'eu-west-2'

async function stream(k: KinesisClient, onDemand: boolean): Promise<string> {
  const name = uniqueName(onDemand ? 'od' : 'pv')
  await k.send(new CreateStreamCommand(onDemand ? { StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } } : { StreamName: name, ShardCount: 1 }))
  await advance(nimbus.current, 500)
  return name
}

/** Registers consumers until one is refused; how many went through and the refusal. */
async function registerUntilRefused(k: KinesisClient, name: string, prefix = 'c'): Promise<{ registered: number; refusal: { name: string; message: string } }> {
  for (let i = 0; ; i++) {
    try {
      await k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name, REGION), ConsumerName: `${prefix}${i}` }))
    } catch {
      const refusal = await sdkError(k.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn(name, REGION), ConsumerName: `${prefix}${i}` })))
      return { registered: i, refusal }
    }
    assert.ok(i < 60, 'no limit')
  }
}

describe('enhanced fan-out consumers per stream', () => {
  it('20 for provisioned and On-demand Standard streams, 50 for on-demand streams in On-demand Advantage mode', async () => {
    const k = kinesisClient(nimbus.current, REGION)
    const provisioned = await stream(k, false)
    const standard = await stream(k, true)
    for (const name of [provisioned, standard]) {
      const { registered, refusal } = await registerUntilRefused(k, name)
      assert.equal(registered, 20, name)
      assert.equal(refusal.name, 'LimitExceededException')
      assert.equal(refusal.message, `Consumer limit of 20 for stream ${name} under account 000000000000 exceeded.`)
    }
    await k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }))
    const advantage = await stream(k, true)
    const { registered, refusal } = await registerUntilRefused(k, advantage)
    assert.equal(registered, 50)
    assert.equal(refusal.message, `Consumer limit of 50 for stream ${advantage} under account 000000000000 exceeded.`)
    // The standard stream, now on-demand in an Advantage account, takes 30 more; a provisioned one none.
    assert.equal((await registerUntilRefused(k, standard, 'more')).registered, 30)
    assert.equal((await registerUntilRefused(k, provisioned, 'more')).registered, 0)
  })
})
