// Under `--enforce-iam`, PutSubscriptionFilter with a Lambda destination needs the function's resource
// policy to let CloudWatch Logs invoke it, as the CloudWatch Logs guide's Lambda example does first
// (`aws lambda add-permission --principal logs.amazonaws.com --source-arn
// arn:aws:logs:<region>:<account>:log-group:<group>:* --source-account <account>`); without it AWS
// answers InvalidParameterException "Could not execute the lambda function. Make sure you have given
// CloudWatch Logs permission to execute your function." and makes no filter.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeSubscriptionFiltersCommand, PutLogEventsCommand,
  PutSubscriptionFilterCommand } from '@aws-sdk/client-cloudwatch-logs'
import { AddPermissionCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda'
import { settle, watchFunctionLog } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus({ enforceIam: true })
const ACCOUNT = '000000000000'
const logsClient = () => new CloudWatchLogsClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
const refusal = { name: 'InvalidParameterException', status: 400,
  message: 'Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.' }

async function setUp() {
  const logs = logsClient()
  const lambda = lambdaClient(nimbus.current)
  const group = uniqueName('/cwl/perm')
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }))
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }))
  const fn = await createFunction(lambda, `exports.handler = async (event) => { console.log('GOT ' + event.awslogs.data.length); return 'ok' }`)
  const functionArn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${fn}`
  const subscribe = () => logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'to-fn', filterPattern: '', destinationArn: functionArn }))
  const permit = (sid: string, extra: { Principal?: string; SourceArn?: string; SourceAccount?: string }) => lambda.send(new AddPermissionCommand({
    FunctionName: fn, StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 'logs.amazonaws.com', ...extra }))
  const filters = async () => (await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters ?? []
  return { logs, lambda, group, fn, subscribe, permit, filters }
}

describe('CloudWatch Logs → Lambda subscription filters under enforceIam', () => {
  it('needs the function to let logs.amazonaws.com invoke it for this log group and account, then delivers', async () => {
    const { logs, lambda, group, fn, subscribe, permit, filters } = await setUp()
    assert.deepEqual(await sdkError(subscribe()), refusal)
    assert.deepEqual(await filters(), [])
    // A permission for another log group, or another account, is not one for this group.
    await permit('other-group', { SourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/some/other:*` })
    await permit('other-account', { SourceAccount: '111122223333' })
    assert.deepEqual(await sdkError(subscribe()), refusal)
    // The guide's command: this group's ARN with :* and the account.
    await permit('cwl', { SourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}:*`, SourceAccount: ACCOUNT })
    await subscribe()
    assert.deepEqual((await filters()).map((f) => f.filterName), ['to-fn'])
    const log = watchFunctionLog(nimbus.current, fn)
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: nimbus.current.clock.now(), message: 'hello' }] }))
    await log.waitFor('GOT ')
    log.stop()
    // A later PutSubscriptionFilter (the same name replaces) checks again.
    await lambda.send(new RemovePermissionCommand({ FunctionName: fn, StatementId: 'cwl' }))
    assert.deepEqual(await sdkError(subscribe()), refusal)
    await settle()
  })

  it('accepts a wildcard SourceArn and the regional principal logs.<region>.amazonaws.com', async () => {
    const first = await setUp()
    await first.permit('all-groups', { SourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*` })
    await first.subscribe()
    const second = await setUp()
    await second.permit('regional', { Principal: 'logs.us-east-1.amazonaws.com' })
    await second.subscribe()
    assert.equal((await second.filters()).length, 1)
  })

  it('a missing function is refused with the same answer', async () => {
    const { logs, group } = await setUp()
    assert.deepEqual(await sdkError(logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'f', filterPattern: '',
      destinationArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:no-such-function` }))), refusal)
  })
})
