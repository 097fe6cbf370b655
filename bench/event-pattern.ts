// Micro-benchmark of the event-pattern engine: events matched per second against 1, 100 and 1,000
// EventBridge rules, through PatternIndex and through a linear scan of compiled patterns.
// Run: npx node bench/event-pattern.ts
import { compilePattern, PatternIndex, type CompiledPattern } from '../src/event-pattern/index.ts'

const SOURCES = Array.from({ length: 50 }, (_, i) => `com.example.service${i}`)

function rule(i: number): object {
  const source = SOURCES[i % SOURCES.length]!
  switch (i % 5) {
    case 0: return { source: [source], 'detail-type': ['Order Placed'], detail: { amount: [{ numeric: ['>', i % 100] }] } }
    case 1: return { source: [source], detail: { status: [{ 'anything-but': ['cancelled', 'failed'] }] } }
    case 2: return { source: [source], detail: { customer: { tier: ['gold', 'platinum'] }, region: [{ prefix: 'eu-' }] } }
    case 3: return { 'detail-type': ['Order Placed', 'Order Shipped'], $or: [{ source: [source] }, { detail: { priority: [true] } }] }
    default: return { detail: { sku: [{ wildcard: `SKU-${i % 10}*` }], amount: [{ exists: true }] } } // no exact field: scanned
  }
}

function event(i: number): object {
  return {
    version: '0', id: `id-${i}`, 'detail-type': i % 2 === 0 ? 'Order Placed' : 'Order Shipped',
    source: SOURCES[i % SOURCES.length], account: '123456789012', time: '2026-01-01T00:00:00Z', region: 'eu-west-1',
    resources: [`arn:aws:example:eu-west-1:123456789012:order/${i}`],
    detail: { amount: i % 250, status: i % 7 === 0 ? 'cancelled' : 'placed', sku: `SKU-${i % 13}-X`, priority: i % 11 === 0,
      customer: { tier: i % 3 === 0 ? 'gold' : 'silver', id: `c-${i}` }, region: 'eu-west-1', items: [{ id: 1 }, { id: 2 }] },
  }
}

function rate(label: string, events: readonly object[], run: (e: object) => number): void {
  let matches = 0
  for (let i = 0; i < 2000; i++) matches += run(events[i % events.length]!) // warm-up
  matches = 0
  const start = process.hrtime.bigint()
  let n = 0
  while (process.hrtime.bigint() - start < 1_000_000_000n) {
    for (let i = 0; i < 500; i++) matches += run(events[n++ % events.length]!)
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  console.log(`${label.padEnd(34)} ${Math.round(n / seconds).toLocaleString('en-US').padStart(12)} events/s  (${(matches / n).toFixed(1)} rules matched per event)`)
}

const events = Array.from({ length: 1000 }, (_, i) => event(i))
for (const count of [1, 100, 1000]) {
  const compiled: CompiledPattern[] = Array.from({ length: count }, (_, i) => compilePattern(rule(i), 'eventbridge'))
  const index = new PatternIndex<number>()
  compiled.forEach((p, i) => index.add(i, p))
  rate(`${count} rules, PatternIndex`, events, (e) => index.match(e).length)
  rate(`${count} rules, linear scan`, events, (e) => compiled.filter((p) => p.matches(e)).length)
}
