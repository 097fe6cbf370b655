// The services past SQS and Lambda, measured on the same Nimbus and moto_server children as the
// SQS section, one target after the other: SNS publish and fan-out, EventBridge PutEvents with
// 1/100/1,000 rules, S3 objects (s3-section.ts). Returns the report's markdown; read the ratios.
import { type CloudTrailBenchResult, cloudTrailBench, cloudTrailSection } from './cloudtrail.ts'
import { type Ec2BenchResult, ec2Bench, ec2Section } from './ec2.ts'
import { putEventsFlood } from './eventbridge.ts'
import { firehoseBench, type FirehoseBenchResult } from './firehose.ts'
import { describeErrors, hasErrors, type LoadResult } from './load.ts'
import { fmt } from './report.ts'
import { s3Section } from './s3-section.ts'
import type { TargetSpec } from './servers.ts'
import { snsBench, type SnsBenchResult } from './sns.ts'

export interface ServiceTarget {
  label: string
  port: number
  /** Werkzeug (moto) closes every connection: fewer concurrent requests, as in the SQS section. */
  closesConnections: boolean
  serverPid: number
}

export interface ServiceBenchOptions {
  nimbus: ServiceTarget | undefined
  moto: ServiceTarget | undefined
  /** The bare node:http server, for the S3 1 MiB rows measured with wrk. */
  hello: { port: number; serverPid: number } | undefined
  rounds: number
  /** The compiled Nimbus's spec (S3 starts a --data-dir variant of it). */
  nimbusSpec: TargetSpec | undefined
  seconds: number
  ruleCounts: readonly number[]
  log: (line: string) => void
}

export const SNS_TARGET_MOTO_RATIO = 20
export const EVENTBRIDGE_TARGET_MOTO_RATIO = 20

interface TargetResults {
  sns?: SnsBenchResult
  putEvents: Map<number, LoadResult>
  firehose?: FirehoseBenchResult
}

export async function serviceBenches(options: ServiceBenchOptions): Promise<string> {
  const results = new Map<string, TargetResults>()
  for (const target of [options.nimbus, options.moto]) {
    if (target === undefined) continue
    const mine: TargetResults = { putEvents: new Map() }
    results.set(target.label, mine)
    try {
      mine.sns = await snsBench(target.port, {
        seconds: options.seconds, connections: target.closesConnections ? 10 : 32, subscriptions: 10, tag: `bench-${Date.now()}`,
      })
      const { publish, fanOut } = mine.sns
      options.log(`  ${target.label.padEnd(26)} SNS Publish ${fmt(publish.perSecond)}/s; fan-out ×10: ${fmt(fanOut.perSecond)} publishes/s,` +
        ` ${fmt(mine.sns.deliveriesPerSecond)} deliveries/s (${(mine.sns.deliveredShare * 100).toFixed(1)} % found in the queues)` +
        `${flag(publish)}${flag(fanOut)}`)
    } catch (error) {
      options.log(`  ${target.label}: SNS measurement failed: ${String(error)}`)
    }
    for (const rules of options.ruleCounts) {
      try {
        const result = await putEventsFlood(target.port, rules, options.seconds, target.closesConnections)
        mine.putEvents.set(rules, result)
        options.log(`  ${target.label.padEnd(26)} PutEvents, ${String(rules).padStart(5)} rules: ${fmt(result.perSecond)} entries/s${flag(result)}`)
      } catch (error) {
        options.log(`  ${target.label}: PutEvents with ${rules} rules failed: ${String(error)}`)
      }
    }
    try {
      mine.firehose = await firehoseBench(target.port, { seconds: options.seconds, closesConnections: target.closesConnections, tag: `bench-${Date.now()}` })
      options.log(`  ${target.label.padEnd(26)} Firehose PutRecordBatch ${fmt(mine.firehose.put.perSecond)} records/s accepted,` +
        ` ${fmt(mine.firehose.deliveredPerSecond)} records/s found in S3 (${mine.firehose.objects} objects)${flag(mine.firehose.put)}`)
    } catch (error) {
      options.log(`  ${target.label}: Firehose measurement failed: ${String(error)}`)
    }
  }
  const s3 = await s3Section({ nimbus: options.nimbus, moto: options.moto, nimbusSpec: options.nimbusSpec, hello: options.hello,
    seconds: options.seconds, rounds: options.rounds, log: options.log })
  const ec2 = new Map<string, Ec2BenchResult>()
  for (const target of [options.nimbus, options.moto]) {
    if (target === undefined) continue
    try {
      const result = await ec2Bench(target, options.seconds, options.log)
      ec2.set(target.label, result)
      options.log(`  ${target.label.padEnd(26)} EC2 RunInstances ×1,000: ${fmt(result.runThousandMs)} ms; DescribeInstances tag filter over 10,000: ${fmt(result.describePerSecond, 1)}/s`)
    } catch (error) {
      options.log(`  ${target.label}: EC2 measurement failed: ${String(error)}`)
    }
  }
  const cloudtrail = new Map<string, CloudTrailBenchResult>()
  for (const target of [options.nimbus, options.moto]) {
    if (target === undefined) continue
    try {
      const result = await cloudTrailBench(target, options.seconds, options.log)
      cloudtrail.set(target.label, result)
      options.log(`  ${target.label.padEnd(26)} CloudTrail LookupEvents ${fmt(result.lookupPagePerSecond)}/s; CreateTrail ${fmt(result.createMedianMs, 2)} ms`)
    } catch (error) {
      options.log(`  ${target.label}: CloudTrail measurement failed: ${String(error)}`)
    }
  }
  return `${section(results, options)}\n\n${firehoseSection(results, options)}\n\n${s3}\n\n${ec2Section(ec2, options.nimbus?.label, options.moto?.label)}` +
    `\n\n${cloudTrailSection(cloudtrail, options.nimbus?.label, options.moto?.label)}`
}

const flag = (result: LoadResult) => hasErrors(result) ? `  ⚠ ${describeErrors(result)}` : ''

function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(1)}×` : '—'
}

function section(results: Map<string, TargetResults>, options: ServiceBenchOptions): string {
  const nimbus = options.nimbus === undefined ? undefined : results.get(options.nimbus.label)
  const moto = options.moto === undefined ? undefined : results.get(options.moto.label)
  const lines = [
    '## SNS and EventBridge',
    '',
    `Same processes as above, ${options.seconds} s per cell. SNS over the query protocol (~100 B messages);`,
    'fan-out = one topic with 10 SQS subscriptions, deliveries counted in the queues afterwards.',
    'EventBridge PutEvents: 10 entries a request over 50 sources, rules pinned to a source plus a detail',
    'filter, no targets (ingestion and matching).',
    '',
    '| Measurement | Nimbus | moto_server | Nimbus / moto | target |',
    '|---|---|---|---|---|',
    `| SNS Publish/s (no subscribers) | ${fmt(nimbus?.sns?.publish.perSecond)} | ${fmt(moto?.sns?.publish.perSecond)} | ` +
      `${ratio(nimbus?.sns?.publish.perSecond, moto?.sns?.publish.perSecond)} | |`,
    `| SNS fan-out: publishes/s to 10 SQS subscriptions | ${fmt(nimbus?.sns?.fanOut.perSecond)} | ${fmt(moto?.sns?.fanOut.perSecond)} | ` +
      `${ratio(nimbus?.sns?.fanOut.perSecond, moto?.sns?.fanOut.perSecond)} | ≥ ${SNS_TARGET_MOTO_RATIO}× |`,
    `| SNS fan-out: deliveries/s | ${fmt(nimbus?.sns?.deliveriesPerSecond)} | ${fmt(moto?.sns?.deliveriesPerSecond)} | ` +
      `${ratio(nimbus?.sns?.deliveriesPerSecond, moto?.sns?.deliveriesPerSecond)} | |`,
  ]
  for (const rules of options.ruleCounts) {
    const n = nimbus?.putEvents.get(rules)?.perSecond
    const m = moto?.putEvents.get(rules)?.perSecond
    lines.push(`| EventBridge PutEvents entries/s, ${fmt(rules)} rules | ${fmt(n)} | ${fmt(m)} | ${ratio(n, m)} | ` +
      `${rules === 100 ? `≥ ${EVENTBRIDGE_TARGET_MOTO_RATIO}×` : ''} |`)
  }
  const first = nimbus?.putEvents.get(options.ruleCounts[0]!)?.perSecond
  const last = nimbus?.putEvents.get(options.ruleCounts.at(-1)!)?.perSecond
  if (first !== undefined && last !== undefined && last > 0) {
    lines.push('', `Nimbus's PutEvents throughput with ${fmt(options.ruleCounts.at(-1))} rules is ${(last / first * 100).toFixed(0)} % of its` +
      ` throughput with ${fmt(options.ruleCounts[0])} (matching cost grows sub-linearly when this stays far above ` +
      `${(options.ruleCounts[0]! / options.ruleCounts.at(-1)! * 100).toFixed(1)} %).`)
  }
  const share = nimbus?.sns?.deliveredShare
  if (share !== undefined && share < 1) lines.push('', `⚠ Only ${(share * 100).toFixed(1)} % of Nimbus's fan-out deliveries were found in the queues.`)
  return lines.join('\n')
}

function firehoseSection(results: Map<string, TargetResults>, options: ServiceBenchOptions): string {
  const nimbus = options.nimbus === undefined ? undefined : results.get(options.nimbus.label)?.firehose
  const moto = options.moto === undefined ? undefined : results.get(options.moto.label)?.firehose
  return [
    '## Firehose',
    '',
    `Same processes, ${options.seconds} s of PutRecordBatch (500 × 1 KiB records a call) into a DirectPut stream delivering to S3;`,
    'records counted in the bucket afterwards (object bytes / 1 KiB). Nimbus buffers (5 MiB or 1 s, whichever first); moto writes one object per call.',
    '',
    '| Measurement | Nimbus | moto_server | Nimbus / moto |',
    '|---|---|---|---|',
    `| PutRecordBatch records/s accepted | ${fmt(nimbus?.put.perSecond)} | ${fmt(moto?.put.perSecond)} | ${ratio(nimbus?.put.perSecond, moto?.put.perSecond)} |`,
    `| records/s delivered into S3 | ${fmt(nimbus?.deliveredPerSecond)} | ${fmt(moto?.deliveredPerSecond)} | ${ratio(nimbus?.deliveredPerSecond, moto?.deliveredPerSecond)} |`,
    `| objects written | ${fmt(nimbus?.objects)} | ${fmt(moto?.objects)} | |`,
  ].join('\n')
}
