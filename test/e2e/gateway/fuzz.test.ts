// A fuzzer over every protocol family: thousands of deterministic mutations of valid requests
// (query SQS/SNS, awsJson SQS/EventBridge/Logs, REST JSON Lambda, REST XML S3). None may answer
// 5xx (Lambda's honest 501 NotImplemented aside), every error must be AWS-shaped in the client's
// protocol, and the server must still answer afterwards.
import assert from 'node:assert/strict'
import { Agent, request } from 'node:http'
import { it } from 'node:test'
import { useNimbus } from '../../helpers/nimbus.ts'
import { mutate, prng, serialize, type Mutated } from './fuzz/mutate.ts'
import { type Family, names, type Seed, seeds } from './fuzz/seeds.ts'

// Internal errors are logged with the request id: any such line fails the run, even one whose answer got out.
const failures: string[] = []
const nimbus = useNimbus({ log: (line) => {
  if (/internal error|failed to answer|invalid response header/.test(line)) failures.push(line.split('\n')[0]!)
} })
const MUTATIONS = Number(process.env['NIMBUS_FUZZ_COUNT'] ?? 3_000)
const SEED = Number(process.env['NIMBUS_FUZZ_SEED'] ?? 20_261_204)

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

const agent = new Agent({ keepAlive: true, maxSockets: 8 })

function send(endpoint: string, m: Pick<Mutated, 'method' | 'path' | 'headers' | 'body'>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Framed explicitly: Node's client sends a GET's body unframed otherwise, which is no HTTP at all.
    const headers = m.body.length > 0 ? { ...m.headers, 'content-length': String(m.body.length) } : m.headers
    const req = request(`${endpoint}${m.path}`, { method: m.method, headers, agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')))
    req.on('error', reject)
    req.end(m.body)
  })
}

function baseHeaders(seed: Pick<Seed, 'service'>, host: string): Record<string, string> {
  return { host, authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${seed.service}/aws4_request, SignedHeaders=host, Signature=0` }
}

/** The protocol an error answer is written in, and its code; undefined when it is not AWS-shaped. */
function errorOf(answer: Answer): { family: Family; code: string } | undefined {
  const body = answer.body.trimStart()
  if (body.startsWith('<')) {
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1]
    if (code === undefined) return undefined
    return { family: /<ErrorResponse[\s>]/.test(body) ? 'query' : 'rest-xml', code }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined
  const type = (parsed as { __type?: unknown }).__type
  if (typeof type === 'string') return { family: 'json', code: type.split('#').pop()! }
  const header = answer.headers['x-amzn-errortype']
  return typeof header === 'string' ? { family: 'rest-json', code: header.split(':')[0]! } : undefined
}

function problem(answer: Answer, seed: Seed, m: Mutated): string | undefined {
  if (answer.status < 400) return undefined
  const error = m.method === 'HEAD' ? undefined : errorOf(answer)
  if (answer.status >= 500 && !(answer.status === 501 && error?.code === 'NotImplemented')) return `${answer.status} ${error?.code ?? ''}`
  if (m.method === 'HEAD') return answer.headers['x-amzn-requestid'] === undefined ? 'HEAD error without request id' : undefined
  if (error === undefined) return `not AWS-shaped: ${answer.status} ${answer.body.slice(0, 120)}`
  if (!m.protocolChanged && error.family !== seed.family) return `answered as ${error.family}, asked as ${seed.family} (${error.code})`
  return undefined
}

async function setUp(endpoint: string, host: string): Promise<void> {
  const call = async (service: string, method: string, path: string, headers: Record<string, string>, body = '') => {
    const answer = await send(endpoint, { method, path, headers: { ...baseHeaders({ service }, host), ...headers }, body: Buffer.from(body) })
    assert.ok(answer.status < 300, `set-up ${method} ${path}: ${answer.status} ${answer.body.slice(0, 200)}`)
  }
  const form = { 'content-type': 'application/x-www-form-urlencoded' }
  await call('sqs', 'POST', '/', form, `Action=CreateQueue&Version=2012-11-05&QueueName=${names.queue}`)
  await call('sns', 'POST', '/', form, `Action=CreateTopic&Version=2010-03-31&Name=${names.topic}`)
  const logs = (op: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${op}` })
  await call('logs', 'POST', '/', logs('CreateLogGroup'), JSON.stringify({ logGroupName: names.group }))
  await call('logs', 'POST', '/', logs('CreateLogStream'), JSON.stringify({ logGroupName: names.group, logStreamName: 's' }))
  await call('events', 'POST', '/', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.CreateEventBus' },
    JSON.stringify({ Name: names.bus }))
  await call('s3', 'PUT', `/${names.bucket}`, {})
  await call('s3', 'PUT', `/${names.bucket}/key.txt`, {}, 'hello')
  const create = seeds(endpoint).find((s) => s.service === 'lambda' && s.method === 'POST' && s.path === '/2015-03-31/functions')!
  await call('lambda', 'POST', create.path, create.headers, serialize({ ...create, json: { ...create.json, FunctionName: names.fn } }).toString())
}

it(`answers ${MUTATIONS} mutated requests over every protocol family without a 5xx, in AWS's shapes`, async () => {
  const { endpoint } = nimbus.current
  const host = new URL(endpoint).host
  await setUp(endpoint, host)
  const table = seeds(endpoint)
  for (const seed of table) {
    const answer = await send(endpoint, { method: seed.method, path: seed.path, headers: { ...baseHeaders(seed, host), ...seed.headers }, body: serialize(seed) })
    assert.ok(answer.status < 500, `seed ${seed.method} ${seed.path} ${seed.headers['x-amz-target'] ?? ''}: ${answer.status} ${answer.body.slice(0, 200)}`)
  }
  const rand = prng(SEED)
  const problems: string[] = []
  let next = 0
  const worker = async () => {
    while (next < MUTATIONS) {
      const i = next++
      const seed = table[i % table.length]!
      const m = mutate(rand, seed, { headers: baseHeaders(seed, host) })
      const label = `#${i} ${seed.method} ${seed.path.slice(0, 60)} ${seed.headers['x-amz-target'] ?? seed.params?.[0]?.[1] ?? ''} [${m.what}]`
      try {
        const found = problem(await send(endpoint, m), seed, m)
        if (found !== undefined) problems.push(`${label}: ${found}`)
      } catch (error) {
        problems.push(`${label}: ${String(error)}`)
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  assert.deepEqual(problems.slice(0, 40), [], `${problems.length} problem(s)`)
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} internal error(s) logged`)
  const health = await send(endpoint, { method: 'GET', path: '/_nimbus/health', headers: { host }, body: Buffer.alloc(0) })
  assert.equal(health.status, 200)
  agent.destroy()
})
