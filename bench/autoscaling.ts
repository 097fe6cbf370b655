// Auto Scaling: 24 hours of clock for 100 groups × 10 instances with target tracking on a moving
// CPU pattern, in process on a manual clock (EC2, CloudWatch and Auto Scaling wired as the registry
// wires them, fabric included): wall and CPU time of the one clock jump, alarm evaluations,
// scaling-policy invocations and activities — every evaluation still at its AWS instant — and a
// digest of the histories, equal before and after a speed-up. Beside it, DescribeAutoScalingGroups over
// 100 groups on Nimbus and moto_server (the reference rate). A section of `npm run bench`; runnable
// alone: `node bench/autoscaling.ts` (the simulation only).
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { ManualClock } from '../src/core/clock.ts'
import { createAutoScaling } from '../src/services/autoscaling/index.ts'
import { countsTowardCapacity } from '../src/services/autoscaling/group.ts'
import { createCloudWatch } from '../src/services/cloudwatch/index.ts'
import { createEc2 } from '../src/services/ec2/index.ts'
import { Fabric } from '../src/fabric/fabric.ts'
import { logValues } from '../src/services/ec2/metric-log.ts'
import { queryCall } from './query-call.ts'
import { fmt } from './report.ts'

export interface ScalingSimResult {
  wallMs: number
  /** CPU time of the jump (user + system): steadier than wall time on a shared machine. */
  cpuMs: number
  groups: number
  instancesAtStart: number
  evaluations: number
  policyInvocations: number
  activities: number
  /** Events put on the default bus (alarm state changes, instance launches and terminations). */
  events: number
  cpuUpdates: number
  minCapacity: number
  maxCapacity: number
  /** sha256 of every group's activities and every alarm's history: equal before and after a speed-up (EC2 ids are seeded). */
  historyDigest: string
}

const DAY = 86_400_000
const STEP = 15 * 60_000

/** The simulation: each group's load follows a daily sine (phase per group), spread evenly over its instances every 15 minutes. */
export async function scalingSimulation(groups = 100, perGroup = 10, hours = 24): Promise<ScalingSimResult> {
  const clock = new ManualClock(Date.UTC(2026, 11, 7))
  // As the registry wires them: alarm actions (and Auto Scaling's events) go through the fabric, so a
  // transition to ALARM runs its policy at once, not only at the repeat a minute later.
  const fabric = new Fabric({ clock, log: () => {} })
  // EventBridge's default bus takes the alarm-state and instance events (counted, not routed: no rules here).
  let events = 0
  fabric.registerTarget({ service: 'events', send: () => { events++; return undefined } })
  const ec2 = createEc2({
    clock, idSeed: 'bench', instanceChanged: (account, region, instanceId, dimensions) => {
      cw.port.sourceChanged(account, region, 'AWS/EC2', false, dimensions)
      asg.port.instancesChanged(account, region, instanceId)
    },
  })
  const cw = createCloudWatch({ clock, fabric, sources: [ec2.port.metrics], ec2: ec2.port, autoscaling: {
    group: (a, r, n) => asg.port.group(a, r, n), instancesChanged: (a, r) => asg.port.instancesChanged(a, r),
    runAlarmAction: (arn, trigger) => asg.port.runAlarmAction(arn, trigger), metrics: { namespace: 'AWS/AutoScaling', find: () => undefined, list: () => [] },
    targetLifecycleState: (a, r, id) => asg.port.targetLifecycleState(a, r, id),
  } })
  const asg = createAutoScaling({ clock, ec2: ec2.port, fabric, cloudwatch: cw.port })
  const ctx = { caller: { account: '000000000000', region: 'us-east-1', accessKeyId: 'test' }, requestId: 'bench', clock, protocol: 'query' as const,
    host: 'localhost', signal: new AbortController().signal }
  const images = await ec2.definition.operations.DescribeImages!({ Owners: ['amazon'] }, ctx) as { Images: { ImageId: string; Architecture: string }[] }
  const imageId = images.Images.find((i) => i.Architecture === 'x86_64')!.ImageId
  const ops = asg.definition.operations
  await ops.CreateLaunchConfiguration!({ LaunchConfigurationName: 'bench', ImageId: imageId, InstanceType: 't3.micro' }, ctx)
  for (let g = 0; g < groups; g++) {
    await ops.CreateAutoScalingGroup!({ AutoScalingGroupName: `g${g}`, LaunchConfigurationName: 'bench', MinSize: 2, MaxSize: 30,
      DesiredCapacity: perGroup, AvailabilityZones: ['us-east-1a', 'us-east-1b'] }, ctx)
    await ops.PutScalingPolicy!({ AutoScalingGroupName: `g${g}`, PolicyName: 'cpu50', PolicyType: 'TargetTrackingScaling', EstimatedInstanceWarmup: 120,
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 } }, ctx)
  }
  const region = asg.state.region('000000000000', 'us-east-1')
  let cpuUpdates = 0
  // The load (in "instance-percent") of group g at t: 10 × 50 % on average, ±60 % over the day.
  const load = (g: number, t: number) => perGroup * 50 * (1 + 0.6 * Math.sin(2 * Math.PI * (t / DAY + g / groups)))
  const drive = () => {
    const t = clock.now()
    for (let g = 0; g < groups; g++) {
      const group = region.groups.get(`g${g}`)!
      const members = group.instances.filter(countsTowardCapacity)
      const each = Math.min(100, Math.round(load(g, t) / Math.max(1, members.length)))
      for (const m of members) {
        const found = ec2.state.findInstance(m.id)
        if (found === undefined || found.instance.cpuPercent === each) continue
        found.instance.cpuPercent = each
        logValues(found.instance, t)
        found.region.save(found.instance)
        cpuUpdates++
      }
    }
    clock.at(t + STEP, drive)
  }
  clock.advance(60_000) // the instances boot and go InService
  const instancesAtStart = [...region.groups.values()].reduce((n, g) => n + g.instances.length, 0)
  drive()
  await Promise.resolve()
  const evaluations0 = cw.engine.evaluations
  const invocations0 = cw.engine.scalingActions
  const activities0 = [...region.activities.values()].reduce((n, list) => n + list.length, 0)
  const events0 = events
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  clock.advance(hours * 3_600_000)
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const cpuMs = (cpu.user + cpu.system) / 1000
  const capacities = [...region.groups.values()].map((g) => g.desired)
  const activities = [...region.activities.values()].reduce((n, list) => n + list.length, 0) - activities0
  // Each group's activities and each alarm's history, by name, without the ids and sequence numbers a
  // region-wide counter gives them (those follow how same-instant work of different groups interleaves).
  const digest = createHash('sha256')
  for (const name of [...region.activities.keys()].sort()) {
    digest.update(JSON.stringify([name, region.activities.get(name)!.map(({ id: _id, seq: _seq, ...a }) => a)]))
  }
  const byAlarm = new Map<string, object[]>()
  for (const { seq: _seq, ...h } of cw.state.region('000000000000', 'us-east-1').history) (byAlarm.get(h.alarmName) ?? byAlarm.set(h.alarmName, []).get(h.alarmName)!).push(h)
  for (const name of [...byAlarm.keys()].sort()) digest.update(JSON.stringify([name, byAlarm.get(name)]))
  cw.engine.stop()
  asg.scaler.stop()
  return { historyDigest: digest.digest('hex').slice(0, 16), wallMs, cpuMs, groups, instancesAtStart, evaluations: cw.engine.evaluations - evaluations0, policyInvocations: cw.engine.scalingActions - invocations0,
    activities, events: events - events0, cpuUpdates, minCapacity: Math.min(...capacities), maxCapacity: Math.max(...capacities) }
}

const call = (port: number, body: string) => queryCall(port, 'autoscaling', body, 120_000)

/** DescribeAutoScalingGroups (MaxRecords 100) over 100 empty groups: requests per second, one at a time. */
export async function describeRate(port: number, seconds: number): Promise<number> {
  const v = 'Version=2011-01-01'
  const tag = `b${Date.now()}`
  const lc = await call(port, `Action=CreateLaunchConfiguration&${v}&LaunchConfigurationName=${tag}&ImageId=ami-12c6146b&InstanceType=t3.micro`)
  if (lc.status !== 200) throw new Error(`CreateLaunchConfiguration answered ${lc.status}: ${lc.text.slice(0, 200)}`)
  for (let g = 0; g < 100; g++) {
    const r = await call(port, `Action=CreateAutoScalingGroup&${v}&AutoScalingGroupName=${tag}-${g}&LaunchConfigurationName=${tag}&MinSize=0&MaxSize=5` +
      '&DesiredCapacity=0&AvailabilityZones.member.1=us-east-1a')
    if (r.status !== 200) throw new Error(`CreateAutoScalingGroup answered ${r.status}: ${r.text.slice(0, 200)}`)
  }
  let n = 0
  const t0 = performance.now()
  const deadline = t0 + seconds * 1000
  while (n < 3 || performance.now() < deadline) {
    const r = await call(port, `Action=DescribeAutoScalingGroups&${v}&MaxRecords=100`)
    if (r.status !== 200) throw new Error(`DescribeAutoScalingGroups answered ${r.status}`)
    n++
  }
  return n / ((performance.now() - t0) / 1000)
}

export interface AutoScalingSectionOptions {
  nimbus: { label: string; port: number } | undefined
  moto: { label: string; port: number } | undefined
  seconds: number
  log: (line: string) => void
}

export async function autoScalingSection(options: AutoScalingSectionOptions): Promise<string> {
  const sim = await scalingSimulation()
  options.log(`  Auto Scaling: 24 h × ${sim.groups} groups in ${fmt(sim.wallMs)} ms wall (${fmt(sim.cpuMs)} ms CPU); ${fmt(sim.evaluations)} alarm evaluations,` +
    ` ${fmt(sim.policyInvocations)} policy invocations, ${fmt(sim.activities)} activities, history digest ${sim.historyDigest}`)
  const rates = new Map<string, number>()
  for (const target of [options.nimbus, options.moto]) {
    if (target === undefined) continue
    try {
      rates.set(target.label, await describeRate(target.port, options.seconds))
      options.log(`  ${target.label.padEnd(26)} DescribeAutoScalingGroups (100 groups): ${fmt(rates.get(target.label), 1)}/s`)
    } catch (error) {
      options.log(`  ${target.label}: DescribeAutoScalingGroups measurement failed: ${String(error)}`)
    }
  }
  const nimbusRate = options.nimbus === undefined ? undefined : rates.get(options.nimbus.label)
  const motoRate = options.moto === undefined ? undefined : rates.get(options.moto.label)
  return [
    '## Auto Scaling',
    '',
    `24 hours of clock in one jump, in process: ${sim.groups} groups × 10 instances (${sim.instancesAtStart} at the start), each with a target`,
    'tracking policy (CPU 50 %) on a daily sine of load spread over its instances every 15 minutes (the EC2 cpu hook\'s effect).',
    'Every alarm evaluation and policy invocation happens at its AWS instant; the target is < 5 s wall.',
    '',
    '| Metric | Value |',
    '| --- | --- |',
    `| Wall time of the 24 h jump, ms | ${fmt(sim.wallMs)} |`,
    `| CPU time of the jump (user + system), ms | ${fmt(sim.cpuMs)} |`,
    `| Alarm evaluations | ${fmt(sim.evaluations)} |`,
    `| Scaling policy invocations (incl. AWS's once-a-minute repeats) | ${fmt(sim.policyInvocations)} |`,
    `| Scaling activities | ${fmt(sim.activities)} |`,
    `| Events on the default bus | ${fmt(sim.events)} |`,
    `| CPU changes driven | ${fmt(sim.cpuUpdates)} |`,
    `| Desired capacity at the end, min – max | ${sim.minCapacity} – ${sim.maxCapacity} |`,
    `| History digest (each group's activities, each alarm's history) | \`${sim.historyDigest}\` |`,
    '',
    '| DescribeAutoScalingGroups over 100 groups, req/s | ' + [options.nimbus?.label, options.moto?.label].filter((l) => l !== undefined).join(' | ') + ' | Nimbus / moto |',
    '| --- | ' + [options.nimbus, options.moto].filter((t) => t !== undefined).map(() => '---').join(' | ') + ' | --- |',
    `| one client, sequential | ${[options.nimbus, options.moto].filter((t) => t !== undefined).map((t) => fmt(rates.get(t.label), 1)).join(' | ')} | ` +
      `${nimbusRate !== undefined && motoRate !== undefined ? `${(nimbusRate / motoRate).toFixed(1)}×` : '—'} |`,
  ].join('\n')
}

if (import.meta.main) console.log(await scalingSimulation(Number(process.argv[2] ?? 100), 10, Number(process.argv[3] ?? 24)))
