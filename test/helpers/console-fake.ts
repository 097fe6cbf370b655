// A fixed answer for each call of the console's JSON contract (/_nimbus/api/…, /_nimbus/trace…,
// /_nimbus/clock/next, /_nimbus/events), served to one page through Playwright's routing: the UI's
// drawing (charts with thresholds, a path with a failed attempt and a retry still due) is tested on
// known data; the user journeys run against real Nimbus (console-journeys.test.ts).
import type { Page, Route } from 'playwright-core'

const t0 = Date.UTC(2026, 11, 5, 9, 0, 0)
const queueArn = 'arn:aws:sqs:us-east-1:000000000000:orders'
const dlqArn = 'arn:aws:sqs:us-east-1:000000000000:orders-dlq'
const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:worker'
const bucketArn = 'arn:aws:s3:::uploads'

export const fake = {
  services: {
    services: [
      { name: 'sqs', label: 'SQS', resourceTypes: [{ type: 'queue', label: 'Queues', columns: [{ key: 'visible', label: 'Messages' }, { key: 'dlq', label: 'DLQ' }] }] },
      { name: 'lambda', label: 'Lambda', resourceTypes: [{ type: 'function', label: 'Functions', columns: [{ key: 'runtime', label: 'Runtime' }] }] },
      { name: 's3', label: 'S3', resourceTypes: [{ type: 'bucket', label: 'Buckets', columns: [{ key: 'objects', label: 'Objects' }] }] },
    ],
    accounts: ['000000000000'],
    regions: ['us-east-1', 'eu-west-1'],
  },
  queues: [
    { id: queueArn, name: 'orders', arn: queueArn, fields: { visible: 3, dlq: 'orders-dlq' } },
    { id: dlqArn, name: 'orders-dlq', arn: dlqArn, fields: { visible: 1, dlq: null } },
  ],
  queue: {
    id: queueArn, name: 'orders', arn: queueArn, service: 'sqs', type: 'queue', fields: { visible: 3, inFlight: 0, fifo: false },
    sections: [
      { title: 'Attributes', kind: 'kv', data: { VisibilityTimeout: '30', MessageRetentionPeriod: '345600' } },
      { title: 'Messages', kind: 'table', data: { columns: [{ key: 'messageId', label: 'Message id' }, { key: 'body', label: 'Body' }, { key: 'receiveCount', label: 'Receives' }],
        rows: [{ messageId: 'm-1', body: '{"order":42}', receiveCount: 0 }] } },
      { title: 'Policy', kind: 'json', data: { Version: '2012-10-17' } },
    ],
    links: [{ label: 'Dead-letter queue orders-dlq', service: 'sqs', type: 'queue', id: dlqArn }],
    actions: [
      { name: 'send', label: 'Send a test message', params: [{ key: 'body', label: 'Body', kind: 'text' }, { key: 'delaySeconds', label: 'Delay (s)', kind: 'number' }] },
      { name: 'purge', label: 'Purge', params: [] },
    ],
    charts: [{ title: 'Queue depth', series: [{ label: 'Visible', points: [[t0, 0], [t0 + 60_000, 2], [t0 + 120_000, 3]] },
      { label: 'In flight', points: [[t0, 0], [t0 + 60_000, 1], [t0 + 120_000, 0]] }], thresholds: [{ label: 'Alarm depth', value: 5 }] }],
  },
  trace: {
    entries: [
      { seq: 1, at: t0, kind: 'api', service: 's3', operation: 'PutObject', status: 200, durationMs: 3, resource: bucketArn, requestId: 'req-1' },
      { seq: 2, at: t0, kind: 'hop', service: 's3', source: bucketArn, target: queueArn, id: 'req-1', outcome: 'delivered', attempt: 1, ref: 'm-1' },
      { seq: 3, at: t0 + 1000, kind: 'hop', service: 'lambda', source: queueArn, target: fnArn, id: 'm-1', outcome: 'failed', attempt: 1, detail: 'Error: boom' },
    ],
    next: 4,
  },
  path: {
    nodes: [{ key: bucketArn, label: 'uploads', service: 's3', arn: bucketArn }, { key: queueArn, label: 'orders', service: 'sqs', arn: queueArn },
      { key: fnArn, label: 'worker', service: 'lambda', arn: fnArn }, { key: 'audit', label: 'audit', service: 'sns' }],
    edges: [{ from: bucketArn, to: queueArn, seq: 2, at: t0, outcome: 'delivered', attempt: 1 },
      { from: queueArn, to: fnArn, seq: 3, at: t0 + 1000, outcome: 'failed', attempt: 1, detail: 'Error: boom' },
      { from: bucketArn, to: 'audit', seq: 5, at: t0, outcome: 'dropped', detail: 'filtered out: no rule matched' }],
    pending: [{ target: fnArn, at: t0 + 31_000, attempt: 2 }],
  },
  due: { due: [{ at: t0 + 31_000, what: 'orders → worker attempt 2', service: 'lambda' }] },
}

function json(route: Route, body: unknown, status = 200): Promise<void> {
  return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) })
}

/** Answers the contract's calls on this page from `fake`; the UI files and the clock stay real. */
export async function routeFake(page: Page, actions: { name: string; params: unknown }[] = []): Promise<void> {
  await page.route(/\/_nimbus\/(api|trace|events|clock\/next)/, async (route) => {
    const url = new URL(route.request().url())
    const path = url.pathname
    if (path === '/_nimbus/api/services') return json(route, fake.services)
    if (path === '/_nimbus/api/resources') {
      const q = url.searchParams.get('q') ?? ''
      // "many": 250 queues, more than the list draws at first.
      const many = Array.from({ length: 250 }, (_, i) => ({ id: `many-${i}`, name: `many-${i}`, fields: { visible: i, dlq: null } }))
      const items = url.searchParams.get('service') !== 'sqs' ? [] : q === 'many' ? many : fake.queues.filter((i) => i.name.includes(q))
      return json(route, { items })
    }
    if (path === '/_nimbus/api/resource') {
      return url.searchParams.get('id') === queueArn ? json(route, fake.queue) : json(route, { error: 'NotFound', message: 'No such resource' }, 404)
    }
    if (path === '/_nimbus/api/action') {
      const body = route.request().postDataJSON() as { action: string; params: unknown }
      actions.push({ name: body.action, params: body.params })
      return json(route, { ok: true, result: { messageId: 'm-2' } })
    }
    if (path === '/_nimbus/trace') return json(route, fake.trace)
    if (path === '/_nimbus/trace/path') return json(route, fake.path)
    if (path === '/_nimbus/clock/next') return json(route, fake.due)
    // One live entry, then a long retry so the page doesn't reconnect during the test.
    const entry = { seq: 4, at: t0 + 2000, kind: 'api', service: 'sqs', operation: 'ReceiveMessage', status: 200, durationMs: 1, resource: queueArn }
    return route.fulfill({ status: 200, contentType: 'text/event-stream', body: `retry: 600000\nevent: trace\ndata: ${JSON.stringify(entry)}\n\n` })
  })
}
