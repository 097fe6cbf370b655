// SNS over the query protocol, the way an SDK sends it: Publish to a topic with no subscribers,
// and the fan-out pattern (1 topic × 10 SQS subscriptions). Deliveries are counted in the queues
// afterwards, so a target that drops or delays them is not credited for them.
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { type LoadResult, Tally } from './load.ts'
import { HOST, MESSAGE_BODY, sqsCall } from './sqs.ts'

const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0'

export interface SnsBenchOptions {
  seconds: number
  connections: number
  subscriptions: number
  /** A prefix that keeps names unique across targets and rounds. */
  tag: string
}

export interface SnsBenchResult {
  publish: LoadResult
  fanOut: LoadResult
  /** Messages found in the subscribed queues after the fan-out flood, per second of flood. */
  deliveriesPerSecond: number
  /** Deliveries found ÷ (successful publishes × subscriptions): 1 when nothing was lost. */
  deliveredShare: number
}

function snsCall(port: number, params: Record<string, string>, agent: Agent | false = false): Promise<{ status: number; text: string }> {
  const body = Buffer.from(new URLSearchParams({ ...params, Version: '2010-03-31' }).toString())
  return new Promise((resolve, reject) => {
    const req = request({
      host: HOST, port, method: 'POST', path: '/', agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: AUTHORIZATION,
        'content-length': String(body.length) },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end(body)
  })
}

function xmlValue(text: string, tag: string): string {
  const value = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1]
  if (value === undefined) throw new Error(`no <${tag}> in ${text.slice(0, 200)}`)
  return value
}

async function createTopic(port: number, name: string): Promise<string> {
  const out = await snsCall(port, { Action: 'CreateTopic', Name: name })
  if (out.status !== 200) throw new Error(`CreateTopic: ${out.status} ${out.text.slice(0, 200)}`)
  return xmlValue(out.text, 'TopicArn')
}

async function queueWithArn(port: number, name: string): Promise<{ url: string; arn: string }> {
  const created = await sqsCall(port, 'CreateQueue', { QueueName: name })
  const url = (JSON.parse(created.text) as { QueueUrl: string }).QueueUrl
  const attrs = await sqsCall(port, 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn'] })
  return { url, arn: (JSON.parse(attrs.text) as { Attributes: { QueueArn: string } }).Attributes.QueueArn }
}

async function messagesIn(port: number, url: string): Promise<number> {
  const attrs = await sqsCall(port, 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] })
  return Number((JSON.parse(attrs.text) as { Attributes: { ApproximateNumberOfMessages: string } }).Attributes.ApproximateNumberOfMessages)
}

/** `connections` closed loops publishing for `seconds`; every 200 counts. */
async function floodPublish(port: number, topicArn: string, options: SnsBenchOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const tally = new Tally()
  const t0 = performance.now()
  const until = t0 + options.seconds * 1000
  const loop = async () => {
    while (performance.now() < until) {
      const start = performance.now()
      try {
        const out = await snsCall(port, { Action: 'Publish', TopicArn: topicArn, Message: MESSAGE_BODY }, agent)
        if (tally.status(out.status)) tally.success(performance.now() - start)
      } catch (error) {
        tally.failure(error)
      }
    }
  }
  await Promise.all(Array.from({ length: options.connections }, loop))
  agent.destroy()
  return tally.result((performance.now() - t0) / 1000)
}

export async function snsBench(port: number, options: SnsBenchOptions): Promise<SnsBenchResult> {
  const lonely = await createTopic(port, `${options.tag}-alone`)
  const publish = await floodPublish(port, lonely, options)

  const topic = await createTopic(port, `${options.tag}-fan`)
  const queues = []
  for (let i = 0; i < options.subscriptions; i++) {
    const queue = await queueWithArn(port, `${options.tag}-sub-${i}`)
    const out = await snsCall(port, { Action: 'Subscribe', TopicArn: topic, Protocol: 'sqs', Endpoint: queue.arn })
    if (out.status !== 200) throw new Error(`Subscribe: ${out.status} ${out.text.slice(0, 200)}`)
    queues.push(queue)
  }
  const fanOut = await floodPublish(port, topic, options)
  let delivered = 0
  for (const queue of queues) delivered += await messagesIn(port, queue.url)
  const expected = fanOut.ok * options.subscriptions
  return {
    publish, fanOut,
    deliveriesPerSecond: delivered / fanOut.seconds,
    deliveredShare: expected === 0 ? 0 : delivered / expected,
  }
}
