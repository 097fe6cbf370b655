// The AWS CLI v1 on this machine (botocore's JSON 1.1 client, its own paginator) against Nimbus:
// write with put-log-events, read back with filter-log-events and get-log-events. A missing CLI fails, never skips.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { awsCli } from '../../helpers/aws-cli.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const aws = <T = Record<string, unknown>>(...args: string[]) => awsCli<T>(nimbus.current, ...args)

interface Event { message: string; timestamp: number; logStreamName?: string; eventId?: string }

describe('AWS CLI v1 against CloudWatch Logs', () => {
  it('puts events and reads them with filter-log-events and get-log-events', async () => {
    const group = `/aws/lambda/${uniqueName('cli')}`
    await aws('logs', 'create-log-group', '--log-group-name', group)
    await aws('logs', 'create-log-stream', '--log-group-name', group, '--log-stream-name', 's1')
    const now = nimbus.current.clock.now()
    const events = [[now - 3, 'START RequestId: abc'], [now - 2, 'ERROR something broke'], [now - 1, 'END RequestId: abc']]
      .map(([timestamp, message]) => ({ timestamp, message }))
    const put = await aws<{ nextSequenceToken: string }>('logs', 'put-log-events', '--log-group-name', group, '--log-stream-name', 's1',
      '--log-events', JSON.stringify(events))
    assert.match(put.nextSequenceToken, /^\d{56}$/)

    const filtered = await aws<{ events: Event[] }>('logs', 'filter-log-events', '--log-group-name', group,
      '--start-time', String(now - 60_000), '--filter-pattern', 'ERROR', '--interleaved')
    assert.deepEqual(filtered.events.map((e) => [e.logStreamName, e.message]), [['s1', 'ERROR something broke']])
    assert.match(filtered.events[0]!.eventId!, /^\d{56}$/)

    // The CLI's paginator follows nextToken across pages of 1.
    const paged = await aws<{ events: Event[] }>('logs', 'filter-log-events', '--log-group-name', group, '--page-size', '1')
    assert.deepEqual(paged.events.map((e) => e.message), events.map((e) => e.message))

    const got = await aws<{ events: Event[]; nextForwardToken: string; nextBackwardToken: string }>('logs', 'get-log-events',
      '--log-group-name', group, '--log-stream-name', 's1', '--start-from-head')
    assert.deepEqual(got.events.map((e) => e.message), events.map((e) => e.message))
    assert.match(got.nextForwardToken, /^f\/\d{56}\/s$/)
    const again = await aws<{ events: Event[]; nextForwardToken: string }>('logs', 'get-log-events',
      '--log-group-name', group, '--log-stream-name', 's1', '--next-token', got.nextForwardToken, '--start-from-head')
    assert.deepEqual(again.events, [])
    assert.equal(again.nextForwardToken, got.nextForwardToken)
  })

  it('reports a missing log group as ResourceNotFoundException', async () => {
    await assert.rejects(aws('logs', 'get-log-events', '--log-group-name', '/missing', '--log-stream-name', 's'),
      (error: { stderr?: string }) => /ResourceNotFoundException.*The specified log group does not exist\./.test(error.stderr ?? ''))
  })
})
