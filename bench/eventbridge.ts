// EventBridge PutEvents throughput: entries/s through a bus holding 1, 100 and 1,000 rules, Nimbus
// and moto_server side by side in one run. Measures ingestion and rule matching (the rules have no
// targets, so target delivery is not part of the number). Never a timed test: read the ratios.
// Run as part of `npm run bench` (bench/services.ts).
import { request } from 'node:http'
import { flood, type LoadResult } from './load.ts'
import { HOST } from './sqs.ts'

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

/** PutEvents (10 entries a request) through a fresh bus holding `rules` rules; perSecond counts entries. */
export async function putEventsFlood(port: number, rules: number, seconds: number, closesConnections: boolean): Promise<LoadResult> {
  const bus = await setUp(port, rules)
  const result = await flood({
    port, headers: headers('PutEvents'), body: putEventsBody(bus), connections: closesConnections ? 10 : 50,
    warmupSeconds: 1, seconds, verify: (body) => /"FailedEntryCount":\s*0\b/.test(body), serverClosesConnections: closesConnections,
  })
  return { ...result, perSecond: result.perSecond * 10 }
}
