// LookupEvents: management events of every service in event history (no trail needed), newest
// first, by lookup attribute and time range, paginated; 90 days on the clock; AWS's errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail'
import { CreateQueueCommand, GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient } from '../eventbridge/fixtures.ts'
import { ctClient } from './fixtures.ts'

const nimbus = useNimbus()
const day = 86_400_000

describe('CloudTrail LookupEvents', () => {
  it('finds management calls, reads included, data events never', async () => {
    const ct = ctClient(nimbus.current)
    const sqs = sqsClient(nimbus.current)
    const QueueName = uniqueName('looked-up')
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName }))
    await sqs.send(new GetQueueUrlCommand({ QueueName }))
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'data' }))
    const { Events } = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'sqs.amazonaws.com' }] }))
    assert.deepEqual(Events?.map((e) => e.EventName), ['GetQueueUrl', 'CreateQueue'])
    const created = Events![1]!
    assert.equal(created.ReadOnly, 'false')
    assert.equal(Events![0]!.ReadOnly, 'true')
    assert.equal(created.Username, 'root')
    assert.equal(created.AccessKeyId, 'test')
    assert.deepEqual(created.Resources, [{ ResourceType: 'AWS::SQS::Queue', ResourceName: QueueName }])
    const record = JSON.parse(created.CloudTrailEvent!)
    assert.equal(record.eventName, 'CreateQueue')
    assert.equal(record.eventSource, 'sqs.amazonaws.com')
    assert.equal(record.managementEvent, true)
    assert.equal(record.eventCategory, 'Management')
    assert.deepEqual(record.requestParameters, { queueName: QueueName })
    assert.equal(record.responseElements.queueUrl, QueueUrl)
    const byName = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: QueueName }] }))
    assert.deepEqual(byName.Events?.map((e) => e.EventName), ['GetQueueUrl', 'CreateQueue'])
    const byId = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: created.EventId! }] }))
    assert.deepEqual(byId.Events?.map((e) => e.EventId), [created.EventId])
    ct.destroy()
    sqs.destroy()
  })

  it('pages newest first, filters by time and forgets after 90 days', async () => {
    const ct = ctClient(nimbus.current)
    const sqs = sqsClient(nimbus.current)
    const names = [1, 2, 3, 4, 5].map(() => uniqueName('paged'))
    await advance(nimbus.current, 1_000)
    const start = nimbus.current.clock.now()
    for (const QueueName of names) {
      await sqs.send(new CreateQueueCommand({ QueueName }))
      await advance(nimbus.current, 60_000)
    }
    const only = { AttributeKey: 'EventName' as const, AttributeValue: 'CreateQueue' }
    const seen: string[] = []
    let NextToken: string | undefined
    do {
      const page = await ct.send(new LookupEventsCommand({ LookupAttributes: [only], MaxResults: 2, NextToken, StartTime: new Date(start) }))
      assert.ok((page.Events?.length ?? 0) <= 2)
      seen.push(...(page.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters.queueName as string))
      NextToken = page.NextToken
    } while (NextToken !== undefined)
    assert.deepEqual(seen, names.toReversed())
    const window = await ct.send(new LookupEventsCommand({ LookupAttributes: [only],
      StartTime: new Date(start + 60_000), EndTime: new Date(start + 2 * 60_000) }))
    assert.equal(window.Events?.length, 2)
    await advance(nimbus.current, 90 * day)
    const later = await ct.send(new LookupEventsCommand({ LookupAttributes: [only], StartTime: new Date(start) }))
    assert.deepEqual(later.Events, [])
    ct.destroy()
    sqs.destroy()
  })

  it('answers AWS errors for bad lookups', async () => {
    const ct = ctClient(nimbus.current)
    const cases: [LookupEventsCommandInput, string][] = [
      [{ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'a' }, { AttributeKey: 'EventName', AttributeValue: 'b' }] },
        'InvalidLookupAttributesException'],
      [{ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) }, 'InvalidTimeRangeException'],
      [{ MaxResults: 51 }, 'InvalidMaxResultsException'],
      [{ NextToken: 'not-a-token' }, 'InvalidNextTokenException'],
    ]
    for (const [input, name] of cases) {
      await assert.rejects(ct.send(new LookupEventsCommand(input)), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, name)
        assert.equal(error.$metadata?.httpStatusCode, 400)
        return true
      })
    }
    ct.destroy()
  })
})
