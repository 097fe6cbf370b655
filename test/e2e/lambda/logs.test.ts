// A function's output in CloudWatch Logs, read back with @aws-sdk/client-cloudwatch-logs: the
// `/aws/lambda/<name>` group, one stream per execution environment, START/END/REPORT and console lines.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { logsClient } from '../../helpers/logs.ts'

const nimbus = useNimbus()

describe('Lambda function logs', () => {
  it('writes START, console lines, END and REPORT to /aws/lambda/<name>, readable through the Logs API', async () => {
    const lambda = lambdaClient(nimbus.current)
    const logs = logsClient(nimbus.current)
    const name = await createFunction(lambda, `
      exports.handler = async (event) => {
        console.log('hello from handler', event.n)
        console.error('something odd', event.n)
        return event.n
      }`)
    const requestIds: string[] = []
    for (const n of [1, 2]) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ n })) }))
      assert.equal(out.FunctionError, undefined)
      requestIds.push(out.$metadata.requestId!)
    }
    const group = `/aws/lambda/${name}`

    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))
    assert.deepEqual(logGroups?.map((g) => g.logGroupName), [group])

    // Both invokes ran in the same warm environment: one stream, named as AWS names it.
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))
    assert.equal(logStreams?.length, 1)
    const stream = logStreams![0]!.logStreamName!
    assert.match(stream, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/)

    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }))
    const messages = events!.map((e) => e.message!)
    assert.match(messages[0]!, /^INIT_START Runtime Version: /)
    for (const [i, id] of requestIds.entries()) {
      const start = messages.indexOf(`START RequestId: ${id} Version: $LATEST`)
      assert.ok(start > 0, `START for invoke ${i + 1}`)
      const [log, error, end, report] = messages.slice(start + 1, start + 5)
      assert.match(log!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\tINFO\\thello from handler ${i + 1}$`))
      assert.match(error!, new RegExp(`\\t${id}\\tERROR\\tsomething odd ${i + 1}$`))
      assert.equal(end, `END RequestId: ${id}`)
      assert.match(report!, new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\t` +
        'Memory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t'))
    }
    assert.match(messages.find((m) => m.startsWith(`REPORT RequestId: ${requestIds[0]}`))!, /Init Duration: \d+\.\d\d ms/, 'cold start')
    assert.doesNotMatch(messages.find((m) => m.startsWith(`REPORT RequestId: ${requestIds[1]}`))!, /Init Duration/, 'warm start')

    const reports = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'REPORT' }))
    assert.equal(reports.events?.length, 2)
    const hello = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"hello from handler"' }))
    assert.deepEqual(hello.events?.map((e) => [e.logStreamName, e.message!.split('\t')[1]]), requestIds.map((id) => [stream, id]))
  })
})
