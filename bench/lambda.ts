// The Lambda section of `npm run bench`: a Node handler on the running Nimbus child, driven over HTTP as a
// user's SDK would (rest-json, a SigV4-looking Authorization header Nimbus does not verify). Measures cold
// start, warm invoke latency and its overhead over the handler's own time (REPORT Duration from
// `LogType: Tail`), invokes/s at 1 and 8 in flight, and SQS → Lambda messages/s through an event source
// mapping. The hello server (bare node:http) answering the very same invoke bytes is the floor.
import { request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { percentiles } from './load.ts'
import { RawConnection, type RawResponse, sqsRequest } from './rawhttp.ts'
import { createQueue, HOST, MESSAGE_BODY, sqsCall } from './sqs.ts'
import { nodeHandlerZip } from '../test/helpers/zip.ts'

const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0'
const ROLE = 'arn:aws:iam::000000000000:role/nimbus-bench'
const HANDLER_SOURCE = 'exports.handler = async (e) => e\n'
const EVENT = '{"bench":"nimbus","n":1}'

export interface LambdaBenchOptions {
  /** The Nimbus child's port. */
  port: number
  /** The hello server's port (the node:http floor), if it is running. */
  helloPort: number | undefined
  coldFunctions: number
  warmInvokes: number
  /** Every Nth warm invoke asks for `LogType: Tail` (the REPORT Duration sample). */
  tailEvery: number
  throughputSeconds: number
  esmMessages: number
  log: (line: string) => void
}

export interface Latency { p50: number, p99: number, n: number }

export interface ThroughputRow {
  inFlight: number
  nimbus: { perSecond: number, latency: Latency, errors: number }
  hello?: { perSecond: number, latency: Latency, errors: number }
}

export interface LambdaResults {
  /** CreateFunction sent → first Invoke answered, per fresh function. */
  coldCreateToInvokeMs: number[]
  /** The first Invoke alone (sent right after CreateFunction returned). */
  coldFirstInvokeMs: number[]
  /** REPORT `Init Duration` of those first invokes. */
  coldInitMs: number[]
  warm?: {
    /** Invokes without LogType (the latency a caller sees). */
    total: Latency
    /** The same request bytes answered by the hello server. */
    hello?: Latency
    /** The Tail-sampled invokes: wall time, REPORT Duration, and wall − Duration per invoke. */
    tailTotal: Latency
    handler: Latency
    overhead: Latency
  }
  throughput: ThroughputRow[]
  /** Messages deleted by the mapping (a failed batch stays queued, so an empty queue means every batch succeeded). */
  esm?: { messages: number, seconds: number, perSecond: number }
  /** Nimbus's RSS after the section is read by the caller; failures are listed here. */
  failures: string[]
  seconds: number
}

interface HttpResult { status: number, headers: Record<string, string | string[] | undefined>, text: string }

/** One control-plane call on a fresh connection (as the SQS helpers do). */
function lambdaCall(port: number, method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<HttpResult> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
  return new Promise((resolve, reject) => {
    const req = request({
      host: HOST, port, method, path, agent: false,
      headers: {
        authorization: AUTHORIZATION,
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(payload.length) }),
      },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)))
    req.end(payload)
  })
}

async function expectOk(what: string, call: Promise<HttpResult>): Promise<HttpResult> {
  const res = await call
  if (res.status < 200 || res.status > 299) throw new Error(`${what} answered ${res.status}: ${res.text.slice(0, 300)}`)
  return res
}

const zip = nodeHandlerZip(HANDLER_SOURCE)

function createFunction(port: number, name: string): Promise<HttpResult> {
  return expectOk(`CreateFunction ${name}`, lambdaCall(port, 'POST', '/2015-03-31/functions', {
    FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip.toString('base64') },
  }))
}

async function deleteFunction(port: number, name: string): Promise<void> {
  await lambdaCall(port, 'DELETE', `/2015-03-31/functions/${name}`).catch(() => undefined)
}

/** The bytes of one RequestResponse Invoke (optionally `LogType: Tail`), for the raw keep-alive client. */
function invokeRequest(port: number, name: string, tail: boolean): Buffer {
  const body = Buffer.from(EVENT)
  const headers: Record<string, string> = {
    host: `${HOST}:${port}`,
    'content-type': 'application/json',
    authorization: AUTHORIZATION,
    'x-amz-invocation-type': 'RequestResponse',
    ...(tail ? { 'x-amz-log-type': 'Tail' } : {}),
    'content-length': String(body.length),
  }
  const head = `POST /2015-03-31/functions/${name}/invocations HTTP/1.1\r\n` +
    `${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
  return Buffer.concat([Buffer.from(head, 'latin1'), body])
}

function header(res: RawResponse, name: string): string | undefined {
  return new RegExp(`\\r\\n${name}:\\s*([^\\r]*)`, 'i').exec(res.head)?.[1]
}

/** REPORT `Duration` and `Init Duration` from an X-Amz-Log-Result header (base64 of the log's tail). */
function reportTimes(logResult: string | undefined): { durationMs?: number, initMs?: number } {
  if (logResult === undefined) return {}
  const text = Buffer.from(logResult, 'base64').toString('utf8')
  const line = text.split('\n').find((l) => l.startsWith('REPORT RequestId:'))
  if (line === undefined) return {}
  const duration = /\tDuration: ([\d.]+) ms/.exec(line)
  const init = /\tInit Duration: ([\d.]+) ms/.exec(line)
  return {
    ...(duration === null ? {} : { durationMs: Number(duration[1]) }),
    ...(init === null ? {} : { initMs: Number(init[1]) }),
  }
}

function latency(samples: number[]): Latency {
  const { latencyP50Ms, latencyP99Ms } = percentiles(samples)
  return { p50: latencyP50Ms, p99: latencyP99Ms, n: samples.length }
}

/** An invoke on the raw client that answered 200 with the event echoed back. */
function invokeOk(res: RawResponse): boolean {
  return res.status === 200 && res.text === EVENT && header(res, 'x-amz-function-error') === undefined
}

export async function lambdaBench(options: LambdaBenchOptions): Promise<LambdaResults> {
  const { port, helloPort, log } = options
  const t0 = performance.now()
  const results: LambdaResults = { coldCreateToInvokeMs: [], coldFirstInvokeMs: [], coldInitMs: [], throughput: [], failures: [], seconds: 0 }
  const created = new Set<string>()
  const step = async (what: string, run: () => Promise<void>) => {
    try {
      await run()
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      results.failures.push(`${what}: ${message.split('\n')[0]}`)
      log(`  Lambda ${what} FAILED: ${message}`)
    }
  }
  const stamp = Date.now().toString(36)

  try {
    // 1. Cold start: CreateFunction → first Invoke (with Tail, for REPORT's Init Duration), fresh function each.
    await step('cold start', async () => {
      for (let i = 0; i < options.coldFunctions; i++) {
        const name = `bench-cold-${stamp}-${i}`
        const connection = new RawConnection(port, 30_000)
        try {
          const start = performance.now()
          await createFunction(port, name)
          created.add(name)
          const createdAt = performance.now()
          const res = await connection.request(invokeRequest(port, name, true))
          const end = performance.now()
          if (!invokeOk(res)) throw new Error(`first Invoke answered ${res.status}: ${res.text.slice(0, 200)}`)
          results.coldCreateToInvokeMs.push(end - start)
          results.coldFirstInvokeMs.push(end - createdAt)
          const { initMs } = reportTimes(header(res, 'x-amz-log-result'))
          if (initMs !== undefined) results.coldInitMs.push(initMs)
          log(`  cold ${i + 1}/${options.coldFunctions}: CreateFunction → first Invoke ${(end - start).toFixed(0)} ms` +
            ` (CreateFunction ${(createdAt - start).toFixed(0)} ms, first Invoke ${(end - createdAt).toFixed(0)} ms,` +
            ` Init Duration ${initMs?.toFixed(0) ?? '?'} ms)`)
        } finally {
          connection.close()
        }
        // Gone at once, so idle environments do not pile up while the rest of the section runs.
        await deleteFunction(port, name)
        created.delete(name)
      }
    })

    // 2. Warm sequential invokes on one keep-alive connection, in blocks alternating with the hello floor
    //    so machine noise hits both alike. Every tailEvery-th Nimbus invoke carries LogType: Tail.
    const warmName = `bench-warm-${stamp}`
    await step('warm invokes', async () => {
      await createFunction(port, warmName)
      created.add(warmName)
      const nimbus = new RawConnection(port)
      const hello = helloPort === undefined ? undefined : new RawConnection(helloPort)
      const plain = invokeRequest(port, warmName, false)
      const tailed = invokeRequest(port, warmName, true)
      const helloBytes = helloPort === undefined ? plain : invokeRequest(helloPort, warmName, false)
      try {
        for (let i = 0; i < 200; i++) {
          if (!invokeOk(await nimbus.request(plain))) throw new Error('warm-up Invoke failed')
          await hello?.request(helloBytes)
        }
        const total: number[] = []
        const floor: number[] = []
        const tailTotal: number[] = []
        const handler: number[] = []
        const overhead: number[] = []
        const blocks = 8
        const perBlock = Math.ceil(options.warmInvokes / blocks)
        for (let block = 0; block < blocks; block++) {
          for (let i = 0; i < perBlock; i++) {
            const tail = i % options.tailEvery === options.tailEvery - 1
            const start = performance.now()
            const res = await nimbus.request(tail ? tailed : plain)
            const ms = performance.now() - start
            if (!invokeOk(res)) throw new Error(`Invoke answered ${res.status}: ${res.text.slice(0, 200)}`)
            if (!tail) {
              total.push(ms)
              continue
            }
            const { durationMs } = reportTimes(header(res, 'x-amz-log-result'))
            if (durationMs === undefined) throw new Error('LogType: Tail answered no REPORT Duration')
            tailTotal.push(ms)
            handler.push(durationMs)
            overhead.push(ms - durationMs)
          }
          if (hello !== undefined) {
            for (let i = 0; i < perBlock; i++) {
              const start = performance.now()
              const res = await hello.request(helloBytes)
              if (res.status === 200) floor.push(performance.now() - start)
            }
          }
        }
        results.warm = {
          total: latency(total),
          ...(hello === undefined ? {} : { hello: latency(floor) }),
          tailTotal: latency(tailTotal),
          handler: latency(handler),
          overhead: latency(overhead),
        }
        const w = results.warm
        log(`  warm: Invoke p50 ${w.total.p50.toFixed(2)} / p99 ${w.total.p99.toFixed(2)} ms (n ${w.total.n});` +
          ` hello floor p50 ${w.hello?.p50.toFixed(2) ?? '—'} ms; REPORT Duration p50 ${w.handler.p50.toFixed(2)} ms;` +
          ` overhead p50 ${w.overhead.p50.toFixed(2)} / p99 ${w.overhead.p99.toFixed(2)} ms (n ${w.overhead.n})`)
      } finally {
        nimbus.close()
        hello?.close()
      }
    })

    // 3. Invokes/s with 1 and 8 invokes in flight (8 → 8 environments), each its own keep-alive connection.
    if (results.warm !== undefined) {
      await step('throughput', async () => {
        // Start the 8 environments first, so the measured window holds no cold starts.
        await Promise.all(Array.from({ length: 8 }, async () => {
          const c = new RawConnection(port, 30_000)
          try {
            await c.request(invokeRequest(port, warmName, false))
          } finally {
            c.close()
          }
        }))
        for (const inFlight of [1, 8]) {
          const row: ThroughputRow = {
            inFlight,
            nimbus: await closedLoop(port, invokeRequest(port, warmName, false), inFlight, options.throughputSeconds, invokeOk),
          }
          if (helloPort !== undefined) {
            row.hello = await closedLoop(helloPort, invokeRequest(helloPort, warmName, false), inFlight, options.throughputSeconds,
              (res) => res.status === 200)
          }
          results.throughput.push(row)
          log(`  ${inFlight} in flight: Nimbus ${row.nimbus.perSecond.toFixed(0)} invokes/s (p50 ${row.nimbus.latency.p50.toFixed(2)}` +
            ` ms, ${row.nimbus.errors} errors); hello ${row.hello?.perSecond.toFixed(0) ?? '—'} req/s`)
        }
      })
    }

    // 4. SQS → Lambda through an event source mapping: pre-load the queue, map it, time until it is empty.
    await step('SQS event source mapping', async () => {
      const fnName = `bench-esm-${stamp}`
      const { queueUrl } = await createQueue(port, `bench-esm-${stamp}`)
      let mappingId: string | undefined
      try {
        const attrs = await sqsCall(port, 'GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }, { timeoutMs: 10_000 })
        const queueArn = (JSON.parse(attrs.text) as { Attributes?: { QueueArn?: string } }).Attributes?.QueueArn
        if (queueArn === undefined) throw new Error(`GetQueueAttributes gave no QueueArn: ${attrs.text.slice(0, 200)}`)
        await createFunction(port, fnName)
        created.add(fnName)
        // Warm the environments the mapping's pollers will use (Lambda starts with 5 concurrent batches).
        await Promise.all(Array.from({ length: 5 }, async () => {
          const c = new RawConnection(port, 30_000)
          try {
            await c.request(invokeRequest(port, fnName, false))
          } finally {
            c.close()
          }
        }))
        const batches = Math.ceil(options.esmMessages / 10)
        const batchBytes = sqsRequest(port, 'SendMessageBatch', {
          QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: MESSAGE_BODY })),
        })
        let next = 0
        await Promise.all(Array.from({ length: 8 }, async () => {
          const c = new RawConnection(port)
          try {
            while (next < batches) {
              next++
              const res = await c.request(batchBytes)
              if (res.status !== 200 || /"Failed"\s*:\s*\[\s*\{/.test(res.text)) throw new Error(`SendMessageBatch: ${res.status} ${res.text.slice(0, 200)}`)
            }
          } finally {
            c.close()
          }
        }))
        const messages = batches * 10
        const backlog = async () => {
          const res = await sqsCall(port, 'GetQueueAttributes', {
            QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }, { timeoutMs: 10_000 })
          const a = (JSON.parse(res.text) as { Attributes?: Record<string, string> }).Attributes ?? {}
          return Number(a.ApproximateNumberOfMessages ?? Number.NaN) + Number(a.ApproximateNumberOfMessagesNotVisible ?? Number.NaN)
        }
        const loaded = await backlog()
        if (loaded !== messages) throw new Error(`queue holds ${loaded} messages after loading ${messages}`)
        const start = performance.now()
        const mapping = await expectOk('CreateEventSourceMapping', lambdaCall(port, 'POST', '/2015-03-31/event-source-mappings/', {
          EventSourceArn: queueArn, FunctionName: fnName, BatchSize: 10, Enabled: true,
        }))
        mappingId = (JSON.parse(mapping.text) as { UUID?: string }).UUID
        let left = messages
        while (left > 0) {
          if (performance.now() - start > 30_000) throw new Error(`${left} of ${messages} messages still queued after 30 s`)
          await sleep(50)
          left = await backlog()
        }
        const seconds = (performance.now() - start) / 1000
        results.esm = { messages, seconds, perSecond: messages / seconds }
        log(`  SQS → Lambda: ${messages} messages drained in ${seconds.toFixed(2)} s = ${(messages / seconds).toFixed(0)} messages/s`)
      } finally {
        if (mappingId !== undefined) await lambdaCall(port, 'DELETE', `/2015-03-31/event-source-mappings/${mappingId}`).catch(() => undefined)
        await sqsCall(port, 'DeleteQueue', { QueueUrl: queueUrl }, { timeoutMs: 10_000 }).catch(() => undefined)
      }
    })
  } finally {
    for (const name of created) await deleteFunction(port, name)
  }
  results.seconds = (performance.now() - t0) / 1000
  return results
}

/** `inFlight` connections, each sending the next request as soon as the last is answered, for `seconds`. */
async function closedLoop(port: number, bytes: Buffer, inFlight: number, seconds: number, verify: (res: RawResponse) => boolean):
  Promise<{ perSecond: number, latency: Latency, errors: number }> {
  const warmupEnd = performance.now() + 500
  const end = warmupEnd + seconds * 1000
  const samples: number[] = []
  let errors = 0
  await Promise.all(Array.from({ length: inFlight }, async () => {
    const c = new RawConnection(port)
    try {
      for (;;) {
        const start = performance.now()
        if (start >= end) break
        let ok = false
        try {
          ok = verify(await c.request(bytes))
        } catch {
          ok = false
        }
        const done = performance.now()
        if (start < warmupEnd || done > end) continue
        if (ok) samples.push(done - start)
        else errors++
      }
    } finally {
      c.close()
    }
  }))
  return { perSecond: samples.length / seconds, latency: latency(samples), errors }
}
