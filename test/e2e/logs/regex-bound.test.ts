// A %regex% in a filter pattern runs bounded (here 100 ms): an event on which it backtracks
// catastrophically matches no pattern — neither `%…%` nor its exclusion nor `!=` — the other events
// match as usual, and a request sent meanwhile is answered (once the bounded match is over) as are later ones.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FilterLogEventsCommand, TestMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs'
import { logsClient, newStream, putMessages } from '../../helpers/logs.ts'
import { healthStatus, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus({ regexBudgetMs: 100 })
const catastrophic = `${'a'.repeat(40)}!`

describe('CloudWatch Logs regexes are bounded', () => {
  it('leaves out events whose %regex% runs past the bound, matches the rest, and keeps serving', { timeout: 60_000 }, async () => {
    const logs = logsClient(nimbus.current)
    const { group, stream } = await newStream(logs)
    const messages = ['aab', catastrophic, 'xyz', JSON.stringify({ s: catastrophic }), JSON.stringify({ s: 'ab' })]
    await putMessages(nimbus.current, logs, group, stream, messages)
    const filter = async (filterPattern: string) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }))).events!.map((e) => e.message)

    const [found, during] = await Promise.all([filter('%(a+)+b%'), healthStatus(nimbus.current)])
    assert.deepEqual(found, ['aab', JSON.stringify({ s: 'ab' })])
    assert.equal(during, 200)
    assert.deepEqual(await filter('-%(a+)+b%'), ['xyz'], 'a timed-out exclusion does not match either')
    assert.deepEqual(await filter('{ $.s != %^(a+)+b$% }'), [], 'nor does a timed-out !=')
    assert.deepEqual(await filter('{ $.s = %^(a+)+b$% }'), [JSON.stringify({ s: 'ab' })])

    const tested = await logs.send(new TestMetricFilterCommand({ filterPattern: '%(a|a)*\\1b%', logEventMessages: [catastrophic, 'aab'] }))
    assert.deepEqual(tested.matches!.map((m) => m.eventMessage), ['aab'])
    assert.equal(await healthStatus(nimbus.current), 200)
  })

  it('matches `*` wildcard values without a backtracking RegExp', { timeout: 60_000 }, async () => {
    const logs = logsClient(nimbus.current)
    const { group, stream } = await newStream(logs)
    const long = 'a'.repeat(20_000)
    await putMessages(nimbus.current, logs, group, stream, [JSON.stringify({ s: long }), JSON.stringify({ s: `${long}b` }), `${long} x`])
    const filter = async (filterPattern: string) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }))).events!.map((e) => e.message!.slice(-3))
    // As RegExps (`^.*a.*a…b$`) these take hours on 20,000 characters.
    assert.deepEqual(await filter(`{ $.s = ${'*a'.repeat(8)}*b }`), ['b"}'])
    assert.deepEqual(await filter(`[w = ${'*a'.repeat(8)}*, x]`), ['a x'])
    assert.equal(await healthStatus(nimbus.current), 200)
  })
})
