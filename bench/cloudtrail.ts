// CloudTrail on Nimbus vs moto_server: LookupEvents/s over an event history of 2,000 management
// events (first page of 50, and a lookup by EventName that scans them all), and CreateTrail
// latency (create + delete cycles, a bucket with CloudTrail's policy). moto has no LookupEvents.
// A section of `npm run bench` (services.ts), and runnable alone: `node bench/cloudtrail.ts`.
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { fmt } from './report.ts'
import { buildCompiledNimbus, installCleanup, motoSpec, nimbusSpec, startTarget, stopAll } from './servers.ts'

export interface CloudTrailTarget {
  label: string
  port: number
}

export interface CloudTrailBenchResult {
  /** LookupEvents, no attribute, first page of 50: calls per second (undefined: not served). */
  lookupPagePerSecond: number | undefined
  /** LookupEvents by EventName over the whole history: calls per second. */
  lookupScanPerSecond: number | undefined
  /** CreateTrail: median latency (ms) and what that makes per second, over create + delete cycles. */
  createMedianMs: number
  createPerSecond: number
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 })
const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`
const target = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101'

function call(port: number, options: { method?: string; path?: string; headers: Record<string, string>; body: string }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, agent, method: options.method ?? 'POST', path: options.path ?? '/',
      headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(options.body)
  })
}

const trailCall = (port: number, operation: string, input: object) => call(port, {
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${target}.${operation}`, authorization: auth('cloudtrail') },
  body: JSON.stringify(input),
})

async function bucketWithPolicy(port: number, bucket: string): Promise<void> {
  const headers = { authorization: auth('s3') }
  const created = await call(port, { method: 'PUT', path: `/${bucket}`, headers, body: '' })
  if (created.status !== 200) throw new Error(`CreateBucket answered ${created.status}`)
  const statement = (Action: string, Resource: string) => ({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action, Resource })
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
    statement('s3:GetBucketAcl', `arn:aws:s3:::${bucket}`), statement('s3:PutObject', `arn:aws:s3:::${bucket}/AWSLogs/*`),
  ] })
  await call(port, { method: 'PUT', path: `/${bucket}?policy`, headers, body: policy })
}

/** Calls per second of `body` from 8 sequential workers over `seconds`; undefined when the target doesn't serve it. */
async function rate(port: number, seconds: number, input: object): Promise<number | undefined> {
  const probe = await trailCall(port, 'LookupEvents', input)
  if (probe.status !== 200) return undefined
  let done = 0
  const deadline = performance.now() + seconds * 1000
  const t0 = performance.now()
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (performance.now() < deadline) {
      const res = await trailCall(port, 'LookupEvents', input)
      if (res.status !== 200) throw new Error(`LookupEvents answered ${res.status}`)
      done += 1
    }
  }))
  return done / ((performance.now() - t0) / 1000)
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

export async function cloudTrailBench(t: CloudTrailTarget, seconds: number, log: (line: string) => void = () => {}): Promise<CloudTrailBenchResult> {
  const bucket = `trail-bench-${Date.now()}`
  await bucketWithPolicy(t.port, bucket)
  // Event history: 2,000 management calls (read-only DescribeTrails: nothing else changes).
  for (let i = 0; i < 2_000; i += 50) await Promise.all(Array.from({ length: 50 }, () => trailCall(t.port, 'DescribeTrails', {})))
  const creates: number[] = []
  const cycleDeadline = performance.now() + seconds * 1000
  while (creates.length < 5 || (performance.now() < cycleDeadline && creates.length < 500)) {
    const Name = `bench-trail-${creates.length}`
    const t0 = performance.now()
    const res = await trailCall(t.port, 'CreateTrail', { Name, S3BucketName: bucket })
    creates.push(performance.now() - t0)
    if (res.status !== 200) throw new Error(`${t.label}: CreateTrail answered ${res.status}: ${res.text.slice(0, 200)}`)
    await trailCall(t.port, 'DeleteTrail', { Name })
  }
  const createMedianMs = median(creates)
  log(`  ${t.label}: CreateTrail median ${fmt(createMedianMs, 2)} ms over ${creates.length} cycles`)
  const lookupPagePerSecond = await rate(t.port, seconds, { MaxResults: 50 })
  const lookupScanPerSecond = await rate(t.port, seconds, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateTrail' }], MaxResults: 50 })
  return { lookupPagePerSecond, lookupScanPerSecond, createMedianMs, createPerSecond: 1000 / createMedianMs }
}

/** The report's markdown for the targets measured. */
export function cloudTrailSection(results: Map<string, CloudTrailBenchResult>, nimbusLabel: string | undefined, motoLabel: string | undefined): string {
  const nimbus = nimbusLabel === undefined ? undefined : results.get(nimbusLabel)
  const moto = motoLabel === undefined ? undefined : results.get(motoLabel)
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(1)}×` : '—')
  const served = (n: number | undefined, r: CloudTrailBenchResult | undefined) => (r === undefined ? '—' : n === undefined ? 'not served' : fmt(n))
  return [
    '## CloudTrail',
    '',
    '| measure | Nimbus | moto_server | Nimbus ÷ moto |',
    '| --- | --- | --- | --- |',
    `| LookupEvents, first page of 50 over 2,000 events, calls/s | ${served(nimbus?.lookupPagePerSecond, nimbus)} | ${served(moto?.lookupPagePerSecond, moto)} | ${ratio(nimbus?.lookupPagePerSecond, moto?.lookupPagePerSecond)} |`,
    `| LookupEvents by EventName (scans all 2,000), calls/s | ${served(nimbus?.lookupScanPerSecond, nimbus)} | ${served(moto?.lookupScanPerSecond, moto)} | ${ratio(nimbus?.lookupScanPerSecond, moto?.lookupScanPerSecond)} |`,
    `| CreateTrail (bucket and policy checked), median ms | ${fmt(nimbus?.createMedianMs, 2)} | ${fmt(moto?.createMedianMs, 2)} | ${ratio(nimbus?.createPerSecond, moto?.createPerSecond)} |`,
    '',
    'moto_server has no LookupEvents (it answers an error), so only Nimbus\'s rate is shown there.',
  ].join('\n')
}

async function main(): Promise<void> {
  installCleanup()
  const results = new Map<string, CloudTrailBenchResult>()
  const nimbus = await startTarget(nimbusSpec(buildCompiledNimbus()))
  const moto = motoSpec()
  try {
    const log = (line: string) => console.log(line)
    results.set(nimbus.spec.label, await cloudTrailBench({ label: nimbus.spec.label, port: nimbus.port }, 5, log))
    await nimbus.stop()
    if (moto !== undefined) {
      const started = await startTarget(moto)
      results.set(moto.label, await cloudTrailBench({ label: moto.label, port: started.port }, 5, log))
      await started.stop()
    }
    console.log(cloudTrailSection(results, nimbus.spec.label, moto?.label))
  } finally {
    agent.destroy()
    await stopAll()
  }
}

if (import.meta.main) await main()
