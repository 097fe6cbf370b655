// Log streams: create/describe/delete, ordering by name or last event time, pagination, errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogStreamCommand, DescribeLogStreamsCommand, paginateDescribeLogStreams,
} from '@aws-sdk/client-cloudwatch-logs'
import { failure, logsClient, newStream, putMessages } from '../../helpers/logs.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const logs = () => logsClient(nimbus.current)

describe('CloudWatch Logs streams', () => {
  it('describes a stream with event times, ingestion time, sequence token and ARN', async () => {
    const { group, stream } = await newStream(logs())
    const created = nimbus.current.clock.now()
    const [empty] = (await logs().send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams ?? []
    assert.deepEqual(empty, {
      logStreamName: stream, creationTime: created, storedBytes: 0,
      uploadSequenceToken: empty?.uploadSequenceToken,
      arn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}:log-stream:${stream}`,
    })
    assert.match(empty?.uploadSequenceToken ?? '', /^\d{56}$/)
    await advance(nimbus.current, 5_000)
    const [first, , last] = await putMessages(nimbus.current, logs(), group, stream, ['a', 'b', 'c'], 1_000)
    const [described] = (await logs().send(new DescribeLogStreamsCommand({ logGroupIdentifier: group }))).logStreams ?? []
    assert.equal(described?.firstEventTimestamp, first)
    assert.equal(described?.lastEventTimestamp, last)
    assert.equal(described?.lastIngestionTime, nimbus.current.clock.now())
    assert.notEqual(described?.uploadSequenceToken, empty?.uploadSequenceToken)
  })

  it('refuses duplicates and missing groups; deletes', async () => {
    const { group, stream } = await newStream(logs())
    const duplicate = await failure(logs().send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })))
    assert.deepEqual([duplicate.name, duplicate.message], ['ResourceAlreadyExistsException', 'The specified log stream already exists'])
    const noGroup = await failure(logs().send(new CreateLogStreamCommand({ logGroupName: `${group}-no`, logStreamName: 's' })))
    assert.deepEqual([noGroup.name, noGroup.message], ['ResourceNotFoundException', 'The specified log group does not exist.'])
    const badName = await failure(logs().send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'a:b' })))
    assert.equal(badName.name, 'InvalidParameterException')
    await logs().send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: stream }))
    const gone = await failure(logs().send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: stream })))
    assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', 'The specified log stream does not exist.'])
  })

  it('orders by name (prefix, descending) and by last event time, paging with nextToken', async () => {
    const group = uniqueName('/order')
    await logs().send(new CreateLogGroupCommand({ logGroupName: group }))
    for (const [name, agoMs] of [['b', 300], ['a', 100], ['c', 200], ['other', 400]] as const) {
      await logs().send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }))
      await putMessages(nimbus.current, logs(), group, name, ['x'], agoMs)
    }
    const names = async (input: Record<string, unknown>, pageSize = 1) => {
      const out: string[] = []
      for await (const page of paginateDescribeLogStreams({ client: logs(), pageSize }, { logGroupName: group, ...input })) {
        out.push(...(page.logStreams ?? []).map((s) => s.logStreamName!))
      }
      return out
    }
    assert.deepEqual(await names({}), ['a', 'b', 'c', 'other'])
    assert.deepEqual(await names({ descending: true }, 3), ['other', 'c', 'b', 'a'])
    assert.deepEqual(await names({ orderBy: 'LastEventTime' }), ['other', 'b', 'c', 'a'])
    assert.deepEqual(await names({ orderBy: 'LastEventTime', descending: true }, 2), ['a', 'c', 'b', 'other'])
    const both = await failure(logs().send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', logStreamNamePrefix: 'a' })))
    assert.equal(both.name, 'InvalidParameterException')
    const prefixed = await logs().send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'o' }))
    assert.deepEqual(prefixed.logStreams?.map((s) => s.logStreamName), ['other'])
    const token = await failure(logs().send(new DescribeLogStreamsCommand({ logGroupName: group, nextToken: 'not-a-token' })))
    assert.equal(token.name, 'InvalidParameterException')
  })

  it('finds the group by ARN identifier, and rejects name and identifier together', async () => {
    const { group, stream } = await newStream(logs())
    const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${group}:*`
    const byArn = await logs().send(new DescribeLogStreamsCommand({ logGroupIdentifier: arn }))
    assert.deepEqual(byArn.logStreams?.map((s) => s.logStreamName), [stream])
    const both = await failure(logs().send(new DescribeLogStreamsCommand({ logGroupIdentifier: arn, logGroupName: group })))
    assert.equal(both.name, 'InvalidParameterException')
  })
})
