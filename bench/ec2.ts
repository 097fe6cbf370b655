// EC2 on Nimbus vs moto_server: RunInstances of 1,000 instances (ten times, 10,000 in all, one
// batch of ten tagged env=prod) and DescribeInstances with a tag filter over the 10,000 (1,000 match).
// A section of `npm run bench` (services.ts), and runnable alone: `node bench/ec2.ts`.
import { performance } from 'node:perf_hooks'
import { queryCall } from './query-call.ts'
import { fmt } from './report.ts'
import { buildCompiledNimbus, installCleanup, motoSpec, nimbusSpec, startTarget, stopAll } from './servers.ts'

export interface Ec2Target {
  label: string
  port: number
}

export interface Ec2BenchResult {
  /** Wall time of one RunInstances call launching 1,000 instances (median of the ten). */
  runThousandMs: number
  /** DescribeInstances with `tag:env=prod` over 10,000 instances: requests per second and median latency. */
  describePerSecond: number
  describeMedianMs: number
  matched: number
}

const ec2Call = (port: number, body: string) => queryCall(port, 'ec2', body, 600_000)

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

export async function ec2Bench(target: Ec2Target, seconds: number, log: (line: string) => void = () => {}): Promise<Ec2BenchResult> {
  const images = await ec2Call(target.port, 'Action=DescribeImages&Version=2016-11-15&Owner.1=amazon')
  const imageId = /<imageId>(ami-[0-9a-f]+)<\/imageId>/.exec(images.text)?.[1]
  if (imageId === undefined) throw new Error(`${target.label}: no Amazon image (${images.status})`)
  const runs: number[] = []
  for (let batch = 0; batch < 10; batch++) {
    const tags = `&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=env&TagSpecification.1.Tag.1.Value=${batch === 3 ? 'prod' : 'dev'}`
    const t0 = performance.now()
    const res = await ec2Call(target.port, `Action=RunInstances&Version=2016-11-15&ImageId=${imageId}&InstanceType=t3.micro&MinCount=1000&MaxCount=1000${tags}`)
    runs.push(performance.now() - t0)
    log(`  ${target.label}: RunInstances ×1,000 (batch ${batch + 1}/10) in ${fmt(runs.at(-1))} ms`)
    if (res.status !== 200) throw new Error(`${target.label}: RunInstances answered ${res.status}: ${res.text.slice(0, 300)}`)
  }
  const describe = 'Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3Aenv&Filter.1.Value.1=prod'
  const latencies: number[] = []
  let matched = 0
  const deadline = performance.now() + seconds * 1000
  // At least three calls (moto may take seconds each), then as many as fit in the time.
  while (latencies.length < 3 || (performance.now() < deadline && latencies.length < 500)) {
    const t0 = performance.now()
    const res = await ec2Call(target.port, describe)
    latencies.push(performance.now() - t0)
    if (res.status !== 200) throw new Error(`${target.label}: DescribeInstances answered ${res.status}`)
    matched = res.text.match(/<instanceId>/g)?.length ?? 0
  }
  const total = latencies.reduce((a, b) => a + b, 0)
  return { runThousandMs: median(runs), describePerSecond: latencies.length / (total / 1000), describeMedianMs: median(latencies), matched }
}

export const EC2_TARGET_MOTO_RATIO = 20

/** The report's markdown for the targets measured. */
export function ec2Section(results: Map<string, Ec2BenchResult>, nimbusLabel: string | undefined, motoLabel: string | undefined): string {
  const nimbus = nimbusLabel === undefined ? undefined : results.get(nimbusLabel)
  const moto = motoLabel === undefined ? undefined : results.get(motoLabel)
  const ratio = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && b > 0 ? a / b : undefined
  const describeRatio = ratio(nimbus?.describePerSecond, moto?.describePerSecond)
  const runRatio = ratio(moto?.runThousandMs, nimbus?.runThousandMs)
  const lines = [
    '## EC2',
    '',
    '| measure | Nimbus | moto_server | Nimbus ÷ moto |',
    '| --- | --- | --- | --- |',
    `| RunInstances of 1,000 instances (median of 10), ms | ${fmt(nimbus?.runThousandMs)} | ${fmt(moto?.runThousandMs)} | ${runRatio === undefined ? '—' : `${runRatio.toFixed(1)}× faster`} |`,
    `| DescribeInstances, tag filter over 10,000 (1,000 match), calls/s | ${fmt(nimbus?.describePerSecond, 2)} | ${fmt(moto?.describePerSecond, 3)} | ${describeRatio === undefined ? '—' : `${describeRatio.toFixed(1)}×`} |`,
    `| … median latency, ms | ${fmt(nimbus?.describeMedianMs)} | ${fmt(moto?.describeMedianMs)} | |`,
    `| instances matched | ${nimbus?.matched ?? '—'} | ${moto?.matched ?? '—'} | |`,
    '',
    `Target: DescribeInstances over 10,000 ≥ ${EC2_TARGET_MOTO_RATIO}× moto — ${describeRatio === undefined ? 'not measured' : describeRatio >= EC2_TARGET_MOTO_RATIO ? 'met' : 'missed'}.`,
  ]
  return lines.join('\n')
}

async function main(): Promise<void> {
  installCleanup()
  const results = new Map<string, Ec2BenchResult>()
  const nimbus = await startTarget(nimbusSpec(buildCompiledNimbus()))
  const moto = motoSpec()
  try {
    const log = (line: string) => console.log(line)
    const mine = await ec2Bench({ label: nimbus.spec.label, port: nimbus.port }, 5, log)
    log(`  ${nimbus.spec.label}: ${JSON.stringify(mine)}`)
    results.set(nimbus.spec.label, mine)
    await nimbus.stop()
    if (moto !== undefined) {
      const started = await startTarget(moto)
      const theirs = await ec2Bench({ label: moto.label, port: started.port }, 5, log)
      log(`  ${moto.label}: ${JSON.stringify(theirs)}`)
      results.set(moto.label, theirs)
      await started.stop()
    }
    console.log(ec2Section(results, nimbus.spec.label, moto?.label))
  } finally {
    await stopAll()
  }
}

if (import.meta.main) await main()
