// The console's first page load in a real browser (Debian's headless Chromium through playwright-core):
// a fresh in-process Nimbus holding 1,000 queues and 10,000 trace entries; the time from navigation to
// the SQS queue list showing its rows, and to the trace page showing its timeline, cold (first visit)
// and warm (median of 5 more visits; each from about:blank, so nothing of the page is kept but the HTTP cache). Run alone: `node bench/console-browser.ts` (issue 19's < 300 ms target).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { chromium } from 'playwright-core'
import { startNimbus } from '../src/index.ts'
import { chromiumPath } from '../scripts/ensure-chromium.ts'

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }
const nimbus = await startNimbus({ port: 0, clock: 'manual' })
const sqs = new SQSClient({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials })
let url = ''
for (let i = 0; i < 1000; i += 50) {
  const made = await Promise.all(Array.from({ length: 50 }, (_, j) => sqs.send(new CreateQueueCommand({ QueueName: `console-q-${i + j}` }))))
  url = made.at(-1)!.QueueUrl!
}
// 1,000 CreateQueue calls are trace entries already; SendMessage calls fill it to 10,000.
for (let i = 1000; i < 10_000; i += 100) {
  await Promise.all(Array.from({ length: 100 }, (_, j) => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i + j}` }))))
}
const profile = mkdtempSync(join(tmpdir(), 'nimbus-bench-chromium-'))
const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
const page = await context.newPage()
// The browser's own first navigation (renderer start-up) is not the console's: it happens on a blank page first.
await page.goto('about:blank')

async function timed(hash: string, ready: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await page.goto(`${nimbus.endpoint}/_nimbus/ui${hash}`)
  await ready()
  return performance.now() - t0
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const rows: string[] = []
for (const [label, hash, ready] of [
  ['Overview (the first page: services and their resource types)', '', () => page.getByRole('heading', { name: 'Resources', level: 1 }).waitFor()],
  ['SQS queues (1,000; first 200 rows drawn)', '#/resources/sqs/queue', () => page.getByRole('link', { name: 'console-q-0', exact: true }).waitFor()],
  ['Trace (10,000 entries)', '#/trace', () => page.getByText('SendMessage').first().waitFor()],
] as const) {
  const cold = await timed(hash, ready)
  const warm: number[] = []
  for (let i = 0; i < 5; i++) {
    await page.goto('about:blank')
    warm.push(await timed(hash, ready))
  }
  rows.push(`| ${label} | ${cold.toFixed(0)} | ${median(warm).toFixed(0)} |`)
}
await context.close()
rmSync(profile, { recursive: true, force: true })
await nimbus.stop()
console.log(['| Page (headless Chromium, navigation → rows shown) | cold ms | warm ms (median of 5) |', '|---|---|---|', ...rows].join('\n'))
