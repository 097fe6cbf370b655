// The architecture notes' high-availability pattern end to end on the manual clock: a primary and a
// stopped standby instance, an Elastic IP on the primary, an alarm on the primary's StatusCheckFailed
// driven by the status hook, alarm → SNS topic → Lambda (the AWS SDK inside the function) that
// starts the standby and moves the Elastic IP to it.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch'
import { AllocateAddressCommand, AssociateAddressCommand, DescribeAddressesCommand, DescribeImagesCommand, DescribeInstancesCommand,
  EC2Client, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2'
import { SubscribeCommand } from '@aws-sdk/client-sns'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { watchFunctionLog } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'
import { createTopic, snsClient } from '../../helpers/sns.ts'

const nimbus = useNimbus()

// The handler: the SNS message is CloudWatch's alarm notification; on ALARM it starts the standby and
// moves the Elastic IP (AllowReassociation), as the notes' Lambda does.
const handler = `
const { EC2Client, StartInstancesCommand, AssociateAddressCommand } = require('@aws-sdk/client-ec2')
exports.handler = async (event) => {
  const alarm = JSON.parse(event.Records[0].Sns.Message)
  console.log('ALARM ' + JSON.stringify({ name: alarm.AlarmName, state: alarm.NewStateValue, primary: alarm.Trigger.Dimensions[0].value }))
  if (alarm.NewStateValue !== 'ALARM') return
  const ec2 = new EC2Client({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION })
  await ec2.send(new StartInstancesCommand({ InstanceIds: [process.env.STANDBY] }))
  await ec2.send(new AssociateAddressCommand({ AllocationId: process.env.ALLOCATION, InstanceId: process.env.STANDBY, AllowReassociation: true }))
  console.log('FAILED-OVER')
}`

describe('EC2 failover: status check alarm → SNS → Lambda moves the Elastic IP to the standby', () => {
  it('runs the notes pattern on the manual clock', async () => {
    const ec2 = new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*'] },
      { Name: 'architecture', Values: ['x86_64'] }] }))
    const run = async () => (await ec2.send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId!, InstanceType: 't3.micro',
      MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!
    const primary = await run()
    const standby = await run()
    await advance(nimbus.current, 60_000)
    await ec2.send(new StopInstancesCommand({ InstanceIds: [standby] }))
    await advance(nimbus.current, 60_000)
    const stateOf = async (id: string) =>
      (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.State!.Name
    assert.deepEqual([await stateOf(primary), await stateOf(standby)], ['running', 'stopped'])
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))
    await ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: primary }))

    const lambda = lambdaClient(nimbus.current)
    // The function gets the AWS SDK from this repository's node_modules (Nimbus bundles none).
    const fn = await createFunction(lambda, handler, { Timeout: 30, MemorySize: 512, Environment: { Variables: {
      STANDBY: standby, ALLOCATION: AllocationId!, NODE_PATH: join(process.cwd(), 'node_modules') } } })
    const log = watchFunctionLog(nimbus.current, fn)
    const sns = snsClient(nimbus.current)
    const topic = await createTopic(sns)
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'lambda', Endpoint: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` }))

    const cw = cloudWatchClient(nimbus.current)
    const name = uniqueName('primary-status')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/EC2', MetricName: 'StatusCheckFailed',
      Dimensions: [{ Name: 'InstanceId', Value: primary }], Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1,
      Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [topic] }))
    const alarmState = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!.StateValue
    await advanceTo(nimbus.current, minuteNow(nimbus.current) + 120_000)
    assert.equal(await alarmState(), 'OK')

    const impaired = await rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${primary}/status`, headers: jsonHeaders,
      body: JSON.stringify({ system: 'impaired' }) })
    assert.equal(impaired.status, 200)
    await advanceTo(nimbus.current, minuteNow(nimbus.current) + 120_000)
    assert.equal(await alarmState(), 'ALARM')
    await log.waitFor('FAILED-OVER').catch((e: Error) => { throw new Error(`${e.message}: ${log.lines.join('\n')}`) })
    const [seen] = log.tagged<{ name: string; state: string; primary: string }>('ALARM')
    log.stop()
    assert.deepEqual(seen, { name, state: 'ALARM', primary })
    await advance(nimbus.current, 60_000)

    assert.equal(await stateOf(standby), 'running')
    const [address] = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses!
    assert.equal(address!.InstanceId, standby)
    const standbyView = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [standby] }))).Reservations![0]!.Instances![0]!
    assert.equal(standbyView.PublicIpAddress, PublicIp)
    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name, ScanBy: 'TimestampAscending' }))).AlarmHistoryItems!
    assert.deepEqual(history.map((h) => [h.HistoryItemType, h.HistorySummary]), [
      ['ConfigurationUpdate', `Alarm "${name}" created`],
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to OK'],
      ['StateUpdate', 'Alarm updated from OK to ALARM'],
      ['Action', `Successfully executed action ${topic}`],
    ])
    const update = JSON.parse(history[2]!.HistoryData!) as { newState: { stateReason: string } }
    assert.match(update.newState.stateReason, /^Threshold Crossed: 1 datapoint \[1\.0 \(.+\)\] was greater than or equal to the threshold \(1\.0\)\.$/)
  })
})
