// EventBridge PutEvents throughput: entries/s through a bus holding 1, 100 and 1,000 rules, Nimbus
// and moto_server side by side in one run. Measures ingestion and rule matching (the rules have no
// targets, so target delivery is not part of the number). Never a timed test: read the ratios.
// Run: npx node bench/eventbridge.ts [--seconds 4] [--no-moto]
import { request } from 'node:http'
import { parseArgs } from 'node:util'
import { describeErrors, flood, hasErrors } from './load.ts'
import { fmt } from './report.ts'
import { HOST } from './sqs.ts'
import { installCleanup, motoSpec, nimbusSourceSpec, type Started, startTarget, stopAll, type TargetSpec } from './servers.ts'

const { values: flags } = parseArgs({ options: { seconds: { type: 'string' }, 'no-moto': { type: 'boolean' }, rules: { type: 'string' } } })
const SECONDS = Number(flags.seconds ?? 4)
const RULE_COUNTS = (flags.rules ?? '1,100,1000').split(',').map(Number)
const SOURCES = 50

const headers = (operation: string) => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `AWSEvents.${operation}`,
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=0',
})

function call(port: number, operation: string, input: unknown): Promise<{ status: number; text: string }> {
  const body = Buffer.from(JSON.stringify(input))
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method: 'POST', path: '/', agent: false,
      headers: { ...headers(operation), 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Rule i: pinned to one of 50 sources (as almost every real rule is), plus a detail filter. */
function pattern(i: number): string {
  const source = `com.bench.svc${i % SOURCES}`
  const detail = i % 2 === 0 ? { amount: [{ numeric: ['>', i % 100] }] } : { status: [{ 'anything-but': ['cancelled'] }] }
  return JSON.stringify({ source: [source], detail })
}

/** Ten entries per request, cycling over the sources: each entry meets ~1/50 of the rules' sources. */
function putEventsBody(bus: string): string {
  return JSON.stringify({ Entries: Array.from({ length: 10 }, (_, i) => ({
    Source: `com.bench.svc${i * 5}`, DetailType: 'Order Placed', EventBusName: bus,
    Detail: JSON.stringify({ amount: 42 + i, status: 'placed', items: [{ sku: 'A-1', qty: 2 }] }),
  })) })
}

async function setUp(port: number, rules: number): Promise<string> {
  const bus = `bench-${rules}-${Date.now()}`
  const created = await call(port, 'CreateEventBus', { Name: bus })
  if (created.status !== 200) throw new Error(`CreateEventBus: ${created.status} ${created.text}`)
  for (let i = 0; i < rules; i++) {
    const put = await call(port, 'PutRule', { Name: `r${i}`, EventBusName: bus, EventPattern: pattern(i) })
    if (put.status !== 200) throw new Error(`PutRule: ${put.status} ${put.text}`)
  }
  return bus
}

async function main(): Promise<void> {
  installCleanup()
  const specs: TargetSpec[] = [nimbusSourceSpec()]
  const moto = flags['no-moto'] === true ? undefined : motoSpec()
  if (moto !== undefined) specs.push(moto)
  else console.log('note: moto_server skipped (--no-moto or not on PATH)')
  const results = new Map<string, Map<number, number>>()
  for (const spec of specs) {
    let target: Started
    try {
      target = await startTarget(spec)
    } catch (error) {
      console.log(`${spec.label}: failed to start: ${String(error)}`)
      continue
    }
    const closes = spec.id === 'moto' // Werkzeug closes every connection (see bench/run.ts)
    const row = new Map<number, number>()
    for (const rules of RULE_COUNTS) {
      const bus = await setUp(target.port, rules)
      const result = await flood({
        port: target.port, headers: headers('PutEvents'), body: putEventsBody(bus), connections: closes ? 10 : 50,
        warmupSeconds: 1, seconds: SECONDS, verify: (body) => /"FailedEntryCount":\s*0\b/.test(body), serverClosesConnections: closes,
      })
      const entries = result.perSecond * 10
      row.set(rules, entries)
      console.log(`${spec.label.padEnd(24)} ${String(rules).padStart(5)} rules: ${fmt(entries).padStart(9)} entries/s` +
        `  p50 ${result.latencyP50Ms.toFixed(1)} ms${hasErrors(result) ? `  ⚠ ${describeErrors(result)}` : ''}`)
    }
    results.set(spec.label, row)
    await target.stop()
  }
  await stopAll()
  const labels = [...results.keys()]
  console.log(`\n| Rules on the bus | ${labels.join(' | ')} | Nimbus / moto |\n|---|${labels.map(() => '---').join('|')}|---|`)
  for (const rules of RULE_COUNTS) {
    const cells = labels.map((l) => fmt(results.get(l)?.get(rules)))
    const [n, m] = labels.map((l) => results.get(l)?.get(rules))
    console.log(`| ${fmt(rules)} | ${cells.join(' | ')} | ${n !== undefined && m !== undefined && m > 0 ? `${(n / m).toFixed(1)}×` : '—'} |`)
  }
}

main().catch(async (error: unknown) => {
  console.error('eventbridge bench failed:', error)
  await stopAll()
  process.exit(1)
})
