// Asynchronous invocation records to an EventBridge bus (aws-behaviour.md §2.6): source `lambda`,
// detail-type "Lambda Function Invocation Result - Success|Failure", resources [bus, function].
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda'
import { until } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createQueue, ebClient, receiveBodies, sqsClient } from '../eventbridge/fixtures.ts'

const nimbus = useNimbus()
const handler = `exports.handler = async (event) => { if (!event.ok) throw new Error('nope'); return { fine: true } }`
const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default'

describe('Lambda destinations on EventBridge', () => {
  it('puts Success and Failure records on the bus, where a rule routes them', async () => {
    const lambda = lambdaClient(nimbus.current)
    const eb = ebClient(nimbus.current)
    const sqs = sqsClient(nimbus.current)
    const inbox = await createQueue(sqs)
    await eb.send(new PutRuleCommand({ Name: 'lambda-results', EventPattern: JSON.stringify({ source: ['lambda'] }) }))
    await eb.send(new PutTargetsCommand({ Rule: 'lambda-results', Targets: [{ Id: 'inbox', Arn: inbox.arn }] }))
    const name = await createFunction(lambda, handler)
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0,
      DestinationConfig: { OnSuccess: { Destination: bus }, OnFailure: { Destination: bus } } }))

    await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"ok":true}') }))
    await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from('{"ok":false}') }))
    let events: any[] = [] // eslint-disable-line @typescript-eslint/no-explicit-any
    await until(async () => (events = events.concat(await receiveBodies(sqs, inbox))).length >= 2, 'two invocation records')
    const byType = Object.fromEntries(events.map((e) => [e['detail-type'], e]))
    const success = byType['Lambda Function Invocation Result - Success']
    const failure = byType['Lambda Function Invocation Result - Failure']
    const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:${name}:$LATEST`
    assert.equal(success.source, 'lambda')
    assert.deepEqual(success.resources, [bus, functionArn])
    assert.equal(success.detail.requestContext.condition, 'Success')
    assert.deepEqual(success.detail.responsePayload, { fine: true })
    assert.equal(failure.detail.requestContext.condition, 'RetriesExhausted')
    assert.equal(failure.detail.responseContext.functionError, 'Unhandled')
    assert.deepEqual(failure.detail.requestPayload, { ok: false })
  })
})
