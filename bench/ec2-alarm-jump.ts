// The 30-day clock jump with 100 alarms over 1,000 *running EC2 instances'* AWS/EC2 metrics, in
// process on a manual clock: CloudWatch reads EC2's metric source (no stored minutes), so the jump
// costs the series' changes, not 43,200 minutes × 1,000 instances.
import { performance } from 'node:perf_hooks'
import { ManualClock } from '../src/core/clock.ts'
import { createCloudWatch } from '../src/services/cloudwatch/index.ts'
import { createEc2 } from '../src/services/ec2/index.ts'
import { logValues } from '../src/services/ec2/metric-log.ts'

export interface Ec2JumpResult {
  wallMs: number
  evaluations: number
  transitions: number
  alarms: number
  instances: number
}

export async function ec2AlarmJump(instances = 1000, alarms = 100): Promise<Ec2JumpResult> {
  const clock = new ManualClock(Date.UTC(2026, 11, 1))
  const ec2 = createEc2({ clock })
  const cw = createCloudWatch({ clock, sources: [ec2.port.metrics], ec2: ec2.port })
  ec2.state.onInstanceChanged = (account, region) => cw.port.sourceChanged(account, region, 'AWS/EC2')
  const ctx = { caller: { account: '000000000000', region: 'us-east-1', accessKeyId: 'test' }, requestId: 'bench', clock, protocol: 'query' as const,
    host: 'localhost', signal: new AbortController().signal }
  const images = await ec2.definition.operations.DescribeImages!({ Owners: ['amazon'] }, ctx) as { Images: { ImageId: string; Architecture: string }[] }
  const imageId = images.Images.find((i) => i.Architecture === 'x86_64')!.ImageId
  const run = await ec2.definition.operations.RunInstances!({ ImageId: imageId, InstanceType: 't3.micro', MinCount: instances, MaxCount: instances,
    Monitoring: { Enabled: true } }, ctx) as { Instances: { InstanceId: string }[] }
  const ids = run.Instances.map((i) => i.InstanceId)
  clock.advance(60_000)
  const put = cw.definition.operations.PutMetricAlarm!
  for (let a = 0; a < alarms; a++) {
    await put({ AlarmName: `cpu-${a}`, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: ids[a * (instances / alarms)] }],
      Statistic: 'Average', Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 70, ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: a % 2 === 0 ? 'missing' : 'notBreaching' }, { ...ctx, protocol: 'json' as const })
  }
  // Every tenth instance runs hot for ten minutes, a day in (as the cpu hook sets it).
  clock.advance(86_400_000)
  for (let i = 0; i < instances; i += 10) {
    const { region, instance } = ec2.state.findInstance(ids[i]!)!
    instance.cpuPercent = 95
    logValues(instance, clock.now())
    region.save(instance)
  }
  await Promise.resolve()
  const before = cw.engine.evaluations
  const t0 = performance.now()
  clock.advance(30 * 86_400_000)
  const wallMs = performance.now() - t0
  let transitions = 0
  for (const region of cw.state.regions.all()) transitions += region.history.filter((h) => h.type === 'StateUpdate').length
  cw.engine.stop()
  return { wallMs, evaluations: cw.engine.evaluations - before, transitions, alarms, instances }
}

if (import.meta.main) console.log(await ec2AlarmJump())
