// The DynamoDB rows of `npm run bench`: PutItem/s, GetItem/s and Query-of-100-items/s on the shared
// Nimbus and moto_server children, a freshly started dynalite (npm) and the hello ceiling, side by
// side. Targets (issue 16): PutItem and GetItem ≥ 0.5 of hello, ≥ 1.2× dynalite, ≥ 20× moto.
import { type ChildProcess, spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { describeErrors, flood, hasErrors, type LoadResult } from './load.ts'
import { fmt } from './report.ts'
import { freePort, stopChild, trackChild } from './servers.ts'
import { sqsCall } from './sqs.ts'

export interface DynamoTarget {
  label: string
  port: number
  closesConnections: boolean
}

export interface DynamoSectionOptions {
  hello: DynamoTarget | undefined
  nimbus: DynamoTarget | undefined
  moto: DynamoTarget | undefined
  seconds: number
  connections: number
  log: (line: string) => void
}

const TARGETS = { helloShareMin: 0.5, dynaliteRatioMin: 1.2, motoRatioMin: 20 }
const repoRoot = resolve(import.meta.dirname, '..')
const TABLE = 'bench'

export const dynamoHeaders = (operation: string): Record<string, string> => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': `DynamoDB_20120810.${operation}`,
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  // dynalite checks that a signed request has a date (not the signature).
  'x-amz-date': '20260101T000000Z',
})

const call = (port: number, operation: string, input: unknown) => sqsCall(port, operation, input, { headers: dynamoHeaders(operation), timeoutMs: 10_000 })

const payload = 'x'.repeat(100)
const bodies = {
  put: JSON.stringify({ TableName: TABLE, Item: { pk: { S: 'w' }, sk: { N: '1' }, v: { S: payload }, n: { N: '42' } } }),
  get: JSON.stringify({ TableName: TABLE, Key: { pk: { S: 'g' }, sk: { N: '1' } } }),
  query: JSON.stringify({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'q' } } }),
}
type Cell = keyof typeof bodies
const operations: Record<Cell, string> = { put: 'PutItem', get: 'GetItem', query: 'Query' }
const verify: Record<Cell, (body: string) => boolean> = {
  put: (body) => body.startsWith('{') && !body.includes('__type'),
  get: (body) => body.includes('"Item"'),
  query: (body) => /"Count":\s*100\b/.test(body),
}

/** A table with 100 items in partition `q` and one to get; waits (real time) until it is ACTIVE. */
async function prepare(port: number): Promise<void> {
  await call(port, 'CreateTable', {
    TableName: TABLE, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
  })
  for (let attempt = 0; attempt < 200; attempt++) {
    const described = await call(port, 'DescribeTable', { TableName: TABLE })
    if (described.text.includes('"TableStatus":"ACTIVE"')) break
    await new Promise((r) => setTimeout(r, 50))
  }
  for (let i = 0; i < 100; i += 25) {
    const requests = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { pk: { S: 'q' }, sk: { N: String(i + j) }, v: { S: payload } } } }))
    const res = await call(port, 'BatchWriteItem', { RequestItems: { [TABLE]: requests } })
    if (res.status !== 200) throw new Error(`BatchWriteItem: HTTP ${res.status} ${res.text.slice(0, 200)}`)
  }
  await call(port, 'PutItem', { TableName: TABLE, Item: { pk: { S: 'g' }, sk: { N: '1' }, v: { S: payload } } })
}

/** dynalite (npm), in memory, tables ACTIVE at once; ready when ListTables answers. */
async function startDynalite(log: (line: string) => void): Promise<{ port: number; child: ChildProcess } | undefined> {
  const port = await freePort()
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'dynalite', 'cli.js'), '--port', String(port), '--createTableMs', '0',
    '--deleteTableMs', '0'], { stdio: 'ignore' })
  trackChild(child)
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      const res = await call(port, 'ListTables', {})
      if (res.status === 200) return { port, child }
    } catch {
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  log('  dynalite did not answer; skipped')
  await stopChild(child)
  return undefined
}

export async function dynamoSection(options: DynamoSectionOptions): Promise<string> {
  const results = new Map<string, Partial<Record<Cell, LoadResult>>>()
  const dynalite = await startDynalite(options.log)
  const targets: [string, DynamoTarget | undefined, boolean][] = [
    ['hello', options.hello, false],
    ['nimbus', options.nimbus, true],
    ['dynalite', dynalite === undefined ? undefined : { label: 'dynalite', port: dynalite.port, closesConnections: false }, true],
    ['moto', options.moto, true],
  ]
  for (const [id, target, real] of targets) {
    if (target === undefined) continue
    try {
      if (real) await prepare(target.port)
    } catch (error) {
      options.log(`  ${target.label}: DynamoDB setup failed: ${String(error)}`)
      continue
    }
    const mine: Partial<Record<Cell, LoadResult>> = {}
    results.set(id, mine)
    for (const cell of Object.keys(bodies) as Cell[]) {
      try {
        const result = await flood({
          port: target.port, headers: dynamoHeaders(operations[cell]), body: bodies[cell],
          connections: target.closesConnections ? 10 : options.connections, warmupSeconds: 1, seconds: options.seconds,
          verify: verify[cell], serverClosesConnections: target.closesConnections,
        })
        mine[cell] = result
        options.log(`  ${target.label.padEnd(26)} DynamoDB ${operations[cell].padEnd(8)} ${fmt(result.perSecond)}/s` +
          `  p50 ${result.latencyP50Ms.toFixed(1)} ms${hasErrors(result) ? `  ⚠ ${describeErrors(result)}` : ''}`)
      } catch (error) {
        options.log(`  ${target.label}: DynamoDB ${operations[cell]} failed: ${String(error)}`)
      }
    }
  }
  if (dynalite !== undefined) await stopChild(dynalite.child)
  return table(results, options)
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}` : '—'
}

function table(results: Map<string, Partial<Record<Cell, LoadResult>>>, options: DynamoSectionOptions): string {
  const get = (id: string, cell: Cell) => results.get(id)?.[cell]?.perSecond
  const lines = [
    '## DynamoDB',
    '',
    `${options.seconds} s per cell after 1 s of warm-up, ${options.connections} keep-alive connections (10 for moto, which closes each).`,
    'PutItem overwrites one ~130 B item; GetItem reads one; Query reads a partition of 100 items (~110 B each).',
    'hello answers the same requests with a fixed body: the node:http ceiling. dynalite: npm, in memory, started for this section.',
    '',
    '| Measurement | hello | Nimbus | dynalite | moto_server | Nimbus / hello | Nimbus / dynalite | Nimbus / moto | targets |',
    '|---|---|---|---|---|---|---|---|---|',
  ]
  for (const cell of Object.keys(bodies) as Cell[]) {
    const [h, n, d, m] = ['hello', 'nimbus', 'dynalite', 'moto'].map((id) => get(id, cell))
    const targets = cell === 'query' ? '' : `≥ ${TARGETS.helloShareMin} / ≥ ${TARGETS.dynaliteRatioMin}× / ≥ ${TARGETS.motoRatioMin}×`
    lines.push(`| ${operations[cell]}/s${cell === 'query' ? ' (100 items)' : ''} | ${fmt(h)} | ${fmt(n)} | ${fmt(d)} | ${fmt(m)} | ` +
      `${ratio(n, h)} | ${ratio(n, d)}× | ${ratio(n, m)}× | ${targets} |`)
  }
  return lines.join('\n')
}
