// AWS/EC2 metrics instances publish on the manual clock (CPUUtilization from the cpu hook at 5-minute
// or 1-minute resolution, StatusCheckFailed from the status hook), computed lazily over clock jumps,
// and alarms' EC2 actions (arn:aws:automate:<region>:ec2:stop) run through EC2.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricStatisticsCommand, ListMetricsCommand,
  PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch'
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const ec2Client = () => new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })

async function launch(ec2: EC2Client, detailed = false): Promise<string> {
  const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*'] },
    { Name: 'architecture', Values: ['x86_64'] }] }))
  const out = await ec2.send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId!, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
    Monitoring: { Enabled: detailed } }))
  return out.Instances![0]!.InstanceId!
}

const hook = (id: string, what: 'cpu' | 'status', body: unknown) =>
  rawRequest(nimbus.current.endpoint, { path: `/_nimbus/ec2/instances/${id}/${what}`, headers: jsonHeaders, body: JSON.stringify(body) })

describe('AWS/EC2 metrics', () => {
  it('CPUUtilization at 5-minute (basic) and 1-minute (detailed) resolution, from the cpu hook, only while running', async () => {
    const ec2 = ec2Client()
    const cw = cloudWatchClient(nimbus.current)
    const start = minuteNow(nimbus.current)
    const basic = await launch(ec2)
    const detailed = await launch(ec2, true)
    await advanceTo(nimbus.current, start + 60_000)
    assert.equal((await hook(basic, 'cpu', { percent: 40 })).status, 200)
    assert.equal((await hook(detailed, 'cpu', { percent: 70 })).status, 200)
    await advanceTo(nimbus.current, start + 3_600_000)
    const stats = (id: string, period: number) => cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/EC2', MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'InstanceId', Value: id }], StartTime: new Date(start + 600_000), EndTime: new Date(start + 1_800_000),
      Period: period, Statistics: ['Average', 'SampleCount'] }))
    const b = (await stats(basic, 60)).Datapoints!
    assert.equal(b.length, 4, 'one datapoint per 5 minutes')
    assert.ok(b.every((d) => d.Average === 40 && d.Unit === 'Percent' && d.SampleCount === 1))
    const d = (await stats(detailed, 60)).Datapoints!
    assert.equal(d.length, 20, 'one datapoint per minute')
    assert.ok(d.every((p) => p.Average === 70))
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/EC2', Dimensions: [{ Name: 'InstanceId', Value: basic }] }))
    assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(),
      ['CPUUtilization', 'NetworkIn', 'NetworkOut', 'StatusCheckFailed', 'StatusCheckFailed_Instance', 'StatusCheckFailed_System'])
  })

  it('an alarm on CPUUtilization over a 30-day jump evaluates only where the series changes; its EC2 stop action stops the instance', async () => {
    const ec2 = ec2Client()
    const cw = cloudWatchClient(nimbus.current)
    const id = await launch(ec2, true)
    const name = uniqueName('cpu-high')
    await cw.send(new PutMetricAlarmCommand({ AlarmName: name, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'InstanceId', Value: id }], Statistic: 'Average', Period: 60, EvaluationPeriods: 3, Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold', AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] }))
    const health = () => (nimbus.current.health().cloudwatch as { evaluations: number }).evaluations
    const before = health()
    const start = minuteNow(nimbus.current)
    await advanceTo(nimbus.current, start + 30 * 86_400_000)
    const alarm = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!
    assert.equal((await alarm()).StateValue, 'OK')
    assert.ok(health() - before < 50, `a 30-day jump evaluated ${health() - before} times`)
    const t = minuteNow(nimbus.current)
    await hook(id, 'cpu', { percent: 95 })
    await advanceTo(nimbus.current, t + 4 * 60_000)
    assert.equal((await alarm()).StateValue, 'ALARM')
    const state = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.State!.Name
    assert.ok(state === 'stopping' || state === 'stopped', state)
    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'Action' }))).AlarmHistoryItems!
    assert.equal(history[0]!.HistorySummary, 'Successfully executed action arn:aws:automate:us-east-1:ec2:stop')
    assert.equal(JSON.parse(history[0]!.HistoryData!).actionState, 'Succeeded')
  })

  it('recover (a documented simplification): the status checks pass again, so the alarm returns to OK; unknown instances fail in the history', async () => {
    const ec2 = ec2Client()
    const cw = cloudWatchClient(nimbus.current)
    const id = await launch(ec2)
    await advanceTo(nimbus.current, minuteNow(nimbus.current) + 60_000)
    const name = uniqueName('system')
    const put = (alarmName: string, instanceId: string) => cw.send(new PutMetricAlarmCommand({ AlarmName: alarmName, Namespace: 'AWS/EC2',
      MetricName: 'StatusCheckFailed_System', Dimensions: [{ Name: 'InstanceId', Value: instanceId }], Statistic: 'Maximum', Period: 60,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'breaching',
      AlarmActions: ['arn:aws:automate:us-east-1:ec2:recover'] }))
    await put(name, id)
    const ghost = uniqueName('ghost')
    await put(ghost, 'i-0123456789abcdef0')
    assert.equal((await hook(id, 'status', { system: 'impaired' })).status, 200)
    await advanceTo(nimbus.current, minuteNow(nimbus.current) + 120_000)
    const history = async (alarmName: string, type: 'Action' | 'StateUpdate') => (await cw.send(new DescribeAlarmHistoryCommand({
      AlarmName: alarmName, HistoryItemType: type, ScanBy: 'TimestampAscending' }))).AlarmHistoryItems!.map((h) => h.HistorySummary)
    assert.deepEqual(await history(name, 'Action'), ['Successfully executed action arn:aws:automate:us-east-1:ec2:recover'])
    await advanceTo(nimbus.current, minuteNow(nimbus.current) + 120_000)
    assert.deepEqual(await history(name, 'StateUpdate'), ['Alarm updated from INSUFFICIENT_DATA to ALARM', 'Alarm updated from ALARM to OK'])
    assert.deepEqual(await history(ghost, 'Action'), ['Failed to execute action arn:aws:automate:us-east-1:ec2:recover. ' +
      'Received error: "The instance ID \'i-0123456789abcdef0\' does not exist"'])
  })
})
