// CloudWatch: PutMetricData/s on Nimbus beside moto_server and the node:http ceiling (query form
// posts, which both servers and every SDK generation accept), and the lazy alarm engine: a 30-day
// clock jump with 100 alarms over 1,000 instances' metrics, in process on a manual clock (wall time).
import { performance } from 'node:perf_hooks'
import { ManualClock } from '../src/core/clock.ts'
import { createCloudWatch } from '../src/services/cloudwatch/index.ts'
import { ec2AlarmJump } from './ec2-alarm-jump.ts'
import { describeErrors, flood, hasErrors, type LoadResult } from './load.ts'
import { fmt } from './report.ts'
import type { ServiceTarget } from './services.ts'

export const CLOUDWATCH_TARGETS = { motoRatioMin: 20, jumpMaxMs: 1000 }

export interface CloudWatchBenchOptions {
  hello: ServiceTarget | undefined
  nimbus: ServiceTarget | undefined
  moto: ServiceTarget | undefined
  seconds: number
  log: (line: string) => void
}

const headers = {
  'content-type': 'application/x-www-form-urlencoded',
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0',
}

/** One datum with a dimension, as an application's metrics library sends it. */
const body = new URLSearchParams({
  Action: 'PutMetricData', Version: '2010-08-01', Namespace: 'Bench',
  'MetricData.member.1.MetricName': 'Latency', 'MetricData.member.1.Value': '12.5', 'MetricData.member.1.Unit': 'Milliseconds',
  'MetricData.member.1.Dimensions.member.1.Name': 'Service', 'MetricData.member.1.Dimensions.member.1.Value': 'checkout',
}).toString()

export interface JumpResult {
  wallMs: number
  evaluations: number
  transitions: number
  alarms: number
  instances: number
}

/**
 * 1,000 instances report CPUUtilization every minute for the last 2 hours; 100 alarms watch 100 of
 * them (3 of 5 minutes above 70 %); then the clock moves 30 days at once. Measures that move only.
 */
export function alarmJump(instances = 1000, alarms = 100): JumpResult {
  const start = Date.UTC(2026, 11, 1)
  const clock = new ManualClock(start)
  const cw = createCloudWatch({ clock })
  const minute = 60_000
  for (let i = 0; i < instances; i++) {
    const data = Array.from({ length: 120 }, (_, m) => ({
      metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: `i-${String(i).padStart(17, '0')}` }],
      // Every tenth instance runs hot in its last ten minutes.
      value: i % 10 === 0 && m >= 110 ? 95 : 20 + ((i * 7 + m) % 30), unit: 'Percent', timestamp: start - (120 - m) * minute,
    }))
    cw.port.publish('000000000000', 'us-east-1', 'AWS/EC2', data)
  }
  const op = cw.definition.operations.PutMetricAlarm!
  const ctx = { caller: { account: '000000000000', region: 'us-east-1', accessKeyId: 'test' }, requestId: 'bench', clock, protocol: 'json' as const,
    host: 'localhost', signal: new AbortController().signal }
  for (let a = 0; a < alarms; a++) {
    void op({ AlarmName: `cpu-${a}`, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'InstanceId', Value: `i-${String(a * (instances / alarms)).padStart(17, '0')}` }], Statistic: 'Average', Period: 60,
      EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 70, ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: a % 2 === 0 ? 'missing' : 'notBreaching' }, ctx)
  }
  const before = cw.engine.evaluations
  const t0 = performance.now()
  clock.advance(30 * 86_400_000)
  const wallMs = performance.now() - t0
  let transitions = 0
  for (const region of cw.state.regions.all()) transitions += region.history.filter((h) => h.type === 'StateUpdate').length
  cw.engine.stop()
  return { wallMs, evaluations: cw.engine.evaluations - before, transitions, alarms, instances }
}

export async function cloudWatchSection(options: CloudWatchBenchOptions): Promise<string> {
  const results = new Map<string, LoadResult>()
  for (const target of [options.hello, options.nimbus, options.moto]) {
    if (target === undefined) continue
    try {
      const result = await flood({ port: target.port, headers, body, connections: target.closesConnections ? 10 : 32, warmupSeconds: 1,
        seconds: options.seconds, serverClosesConnections: target.closesConnections,
        verify: (text) => target === options.hello || text.includes('PutMetricDataResponse') })
      results.set(target.label, result)
      options.log(`  ${target.label.padEnd(26)} PutMetricData ${fmt(result.perSecond)}/s${hasErrors(result) ? `  ⚠ ${describeErrors(result)}` : ''}`)
    } catch (error) {
      options.log(`  ${target.label}: PutMetricData failed: ${String(error)}`)
    }
  }
  const jump = alarmJump()
  options.log(`  30-day clock jump, ${jump.alarms} alarms over ${jump.instances.toLocaleString('en-US')} instances' metrics: ${jump.wallMs.toFixed(0)} ms wall, ` +
    `${jump.evaluations} evaluations, ${jump.transitions} state changes`)
  const live = await ec2AlarmJump()
  options.log(`  30-day clock jump, ${live.alarms} alarms over ${live.instances.toLocaleString('en-US')} running EC2 instances (AWS/EC2 source): ` +
    `${live.wallMs.toFixed(0)} ms wall, ${live.evaluations} evaluations`)
  const rate = (t: ServiceTarget | undefined) => (t === undefined ? undefined : results.get(t.label)?.perSecond)
  const nimbus = rate(options.nimbus)
  const moto = rate(options.moto)
  const hello = rate(options.hello)
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(1)}×` : '—')
  return [
    '## CloudWatch',
    '',
    '| measure | hello (node:http) | Nimbus | moto_server | Nimbus ÷ moto | Nimbus ÷ hello |',
    '| --- | --- | --- | --- | --- | --- |',
    `| PutMetricData/s (query, 1 datum) | ${hello === undefined ? '—' : fmt(hello)} | ${nimbus === undefined ? '—' : fmt(nimbus)} | ` +
      `${moto === undefined ? '—' : fmt(moto)} | ${ratio(nimbus, moto)} (target ≥ ${CLOUDWATCH_TARGETS.motoRatioMin}×) | ${ratio(nimbus, hello)} |`,
    '',
    `30-day clock jump with ${jump.alarms} alarms over ${jump.instances.toLocaleString('en-US')} instances' CPU metrics (2 hours of 1-minute data each), ` +
      `in process on a manual clock: **${jump.wallMs.toFixed(0)} ms** wall (target < ${CLOUDWATCH_TARGETS.jumpMaxMs} ms), ` +
      `${jump.evaluations} evaluations (a minute-by-minute engine would run ${(jump.alarms * 43_200).toLocaleString('en-US')}), ` +
      `${jump.transitions} state changes.`,
    '',
    `The same jump over ${live.instances.toLocaleString('en-US')} running EC2 instances whose AWS/EC2 metrics CloudWatch reads from EC2's ` +
      `metric source (1-minute detailed monitoring, every tenth instance hot): **${live.wallMs.toFixed(0)} ms** wall, ${live.evaluations} evaluations.`,
  ].join('\n')
}
