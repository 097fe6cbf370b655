// FilterLogEvents: the filter pattern language (table-driven), stream selection, time range,
// interleaving across streams, pagination, and what `aws logs tail` relies on.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, paginateFilterLogEvents, PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { failure, logsClient, newStream, putMessages } from '../../helpers/logs.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const logs = () => logsClient(nimbus.current)

const corpus = [
  'START RequestId: 1f2e Version: $LATEST',
  '[ERROR] Unhandled exception in handler',
  '[WARN] Slow response from downstream',
  'INFO user=alice action="log in" Failed to process order',
  '{"level":"ERROR","latency":120,"user":{"id":7,"name":"bob"},"tags":["a","b"],"retry":true,"trace":null}',
  '{"level":"INFO","latency":45,"user":{"id":8,"name":"carol"},"tags":["c"],"retry":false,"path":"/api/v1/orders"}',
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
  '127.0.0.1 - bob [10/Oct/2000:13:56:00 -0700] "GET /index.html HTTP/1.0" 404 512',
]
const [start, error, warn, info, jsonError, jsonInfo, access200, access404] = corpus

// [pattern, the corpus lines it matches]
const cases: [string, (string | undefined)[]][] = [
  ['', corpus],
  ['ERROR', [error, jsonError]],
  ['ERROR Unhandled', [error]],
  ['"Failed to process"', [info]],
  ['"log in"', [info]],
  ['?WARN ?Unhandled', [error, warn]],
  ['?"Slow response" ?alice', [warn, info]],
  ['ERROR -Unhandled', [jsonError]],
  ['-ERROR -INFO -WARN', [start, access200, access404]],
  ['error', []],
  ['%RequestId: [0-9a-f]+%', [start]],
  ['%^\\[(ERROR|WARN)\\]%', [error, warn]],
  ['{ $.level = "ERROR" }', [jsonError]],
  ['{ $.level = ERROR }', [jsonError]],
  ['{ $.level != "ERROR" }', [jsonInfo]],
  ['{ $.latency > 100 }', [jsonError]],
  ['{ $.latency >= 45 && $.latency < 100 }', [jsonInfo]],
  ['{ $.user.id = 8 }', [jsonInfo]],
  ['{ $.user.name = "b*" }', [jsonError]],
  ['{ $.tags[1] = "b" }', [jsonError]],
  ['{ $.level = "ERROR" || $.user.name = "carol" }', [jsonError, jsonInfo]],
  ['{ ($.latency > 100 || $.latency < 50) && $.retry IS FALSE }', [jsonInfo]],
  ['{ $.retry IS TRUE }', [jsonError]],
  ['{ $.trace IS NULL }', [jsonError]],
  ['{ $.path NOT EXISTS }', [jsonError]],
  ['{ $.path = %orders$% }', [jsonInfo]],
  ['{ $.missing != "x" }', []],
  ['[ip, id, user, timestamp, request, status = 404, bytes]', [access404]],
  ['[ip, id, user, timestamp, request = "*apache*", status, bytes > 1000]', [access200]],
  ['[ip, id, user = bob, ...]', [access404]],
  ['[..., status = 2*, bytes]', [access200]],
  ['[ip, user]', []],
]

describe('CloudWatch Logs filter patterns', () => {
  let group = ''
  before(async () => {
    const created = await newStream(logs())
    group = created.group
    await putMessages(nimbus.current, logs(), group, created.stream, corpus)
  })

  for (const [filterPattern, expected] of cases) {
    it(`${JSON.stringify(filterPattern)} matches ${expected.length} event(s)`, async () => {
      const { events } = await logs().send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }))
      assert.deepEqual(events?.map((e) => e.message), expected)
    })
  }

  it('rejects a malformed pattern with InvalidParameterException', async () => {
    for (const filterPattern of ['{ $.a = ', '{ $.a = "x"', '"unterminated', '{ level = "x" }', '[a, b']) {
      const error = await failure(logs().send(new FilterLogEventsCommand({ logGroupName: group, filterPattern })))
      assert.equal(error.name, 'InvalidParameterException', filterPattern)
    }
  })
})

describe('CloudWatch Logs FilterLogEvents', () => {
  it('interleaves streams by time with stream names, event ids and searched streams', async () => {
    const group = uniqueName('/interleave')
    await logs().send(new CreateLogGroupCommand({ logGroupName: group }))
    const now = nimbus.current.clock.now()
    for (const [stream, offsets] of [['s-a', [30, 10]], ['s-b', [20, 0]]] as const) {
      await logs().send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }))
      await logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream,
        logEvents: offsets.map((ago) => ({ timestamp: now - ago, message: `${stream} ${ago}` })) }))
    }
    const out = await logs().send(new FilterLogEventsCommand({ logGroupName: group, interleaved: true }))
    assert.deepEqual(out.events?.map((e) => [e.logStreamName, e.message]),
      [['s-a', 's-a 30'], ['s-b', 's-b 20'], ['s-a', 's-a 10'], ['s-b', 's-b 0']])
    assert.deepEqual(out.searchedLogStreams, [{ logStreamName: 's-a', searchedCompletely: true }, { logStreamName: 's-b', searchedCompletely: true }])
    for (const event of out.events ?? []) {
      assert.match(event.eventId ?? '', /^\d{56}$/)
      assert.equal(event.ingestionTime, now)
    }
    assert.equal(new Set(out.events?.map((e) => e.eventId)).size, 4)
    const onlyB = await logs().send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['s-b'] }))
    assert.deepEqual(onlyB.events?.map((e) => e.message), ['s-b 20', 's-b 0'])
    const prefixed = await logs().send(new FilterLogEventsCommand({ logGroupIdentifier: group, logStreamNamePrefix: 's-a' }))
    assert.deepEqual(prefixed.events?.map((e) => e.message), ['s-a 30', 's-a 10'])
    // startTime and endTime are both inclusive here (unlike GetLogEvents' endTime).
    const window = await logs().send(new FilterLogEventsCommand({ logGroupName: group, startTime: now - 20, endTime: now - 10 }))
    assert.deepEqual(window.events?.map((e) => e.message), ['s-b 20', 's-a 10'])
    const both = await failure(logs().send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['s-a'], logStreamNamePrefix: 's' })))
    assert.equal(both.name, 'InvalidParameterException')
    const missing = await failure(logs().send(new FilterLogEventsCommand({ logGroupName: `${group}-no` })))
    assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'The specified log group does not exist.'])
  })

  it('pages with nextToken until none is returned', async () => {
    const { group, stream } = await newStream(logs())
    await putMessages(nimbus.current, logs(), group, stream, Array.from({ length: 7 }, (_, i) => `line ${i}${i % 2 === 0 ? ' even' : ''}`))
    const seen: string[] = []
    let pages = 0
    for await (const page of paginateFilterLogEvents({ client: logs(), pageSize: 2 }, { logGroupName: group, filterPattern: 'even' })) {
      pages += 1
      seen.push(...(page.events ?? []).map((e) => e.message!))
    }
    assert.deepEqual(seen, ['line 0 even', 'line 2 even', 'line 4 even', 'line 6 even'])
    assert.equal(pages, 2)
  })

  it('supports a tail --follow loop: poll from the last timestamp and skip seen event ids', async () => {
    const { group, stream } = await newStream(logs())
    const seen = new Set<string>()
    const printed: string[] = []
    let startTime = nimbus.current.clock.now() - 60_000
    const poll = async () => {
      for await (const page of paginateFilterLogEvents({ client: logs() }, { logGroupName: group, startTime, interleaved: true })) {
        for (const event of page.events ?? []) {
          if (seen.has(event.eventId!)) continue
          seen.add(event.eventId!)
          printed.push(event.message!)
          startTime = Math.max(startTime, event.timestamp!)
        }
      }
    }
    await putMessages(nimbus.current, logs(), group, stream, ['a', 'b'])
    await poll()
    await advance(nimbus.current, 5_000)
    await putMessages(nimbus.current, logs(), group, stream, ['c'])
    await poll()
    await poll()
    assert.deepEqual(printed, ['a', 'b', 'c'])
  })
})
