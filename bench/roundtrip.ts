// Send→Receive→Delete round trips. The load runs in separate client processes (bench/roundtrip-client.ts),
// each with its own event loop and its share of the workers, every worker on its own keep-alive socket
// with the minimal client in rawhttp.ts, so the row measures the server, not the benchmark's client.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { type LoadResult, percentiles, Tally } from './load.ts'
import { RawConnection, sqsRequest } from './rawhttp.ts'
import { MESSAGE_BODY } from './sqs.ts'
import { trackChild } from './servers.ts'

export interface RoundTripOptions {
  port: number
  queueUrl: string
  workers: number
  warmupSeconds: number
  seconds: number
}

/** One client process's result: a LoadResult plus its raw latencies, so percentiles can be merged. */
export interface WorkerResult extends LoadResult {
  latencies: number[]
  emptyReceives: number
}

/**
 * In this process: `workers` loops, each on its own keep-alive socket, doing SendMessage → ReceiveMessage
 * (1 message, no wait; an empty answer is retried up to 5 times) → DeleteMessage. A round trip counts when
 * its DeleteMessage succeeds inside the measured window.
 */
export async function runRoundTripWorkers(options: RoundTripOptions): Promise<WorkerResult> {
  const { port, queueUrl } = options
  const sendBytes = sqsRequest(port, 'SendMessage', { QueueUrl: queueUrl, MessageBody: MESSAGE_BODY })
  const receiveBytes = sqsRequest(port, 'ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 })
  const t0 = performance.now()
  const measureFrom = t0 + options.warmupSeconds * 1000
  const measureTo = measureFrom + options.seconds * 1000
  const tally = new Tally()
  let emptyReceives = 0
  const record = (status: number) => tally.status(status)
  const worker = async () => {
    const connection = new RawConnection(port)
    while (performance.now() < measureTo) {
      const start = performance.now()
      try {
        if (!record((await connection.request(sendBytes)).status)) continue
        let handle: string | undefined
        for (let attempt = 0; attempt < 5 && handle === undefined; attempt++) {
          const received = await connection.request(receiveBytes)
          if (!record(received.status)) break
          const messages = (JSON.parse(received.text) as { Messages?: Array<{ ReceiptHandle?: string }> }).Messages
          handle = messages?.[0]?.ReceiptHandle
          if (handle === undefined) emptyReceives++
        }
        if (handle === undefined) continue
        const deleteBytes = sqsRequest(port, 'DeleteMessage', { QueueUrl: queueUrl, ReceiptHandle: handle })
        if (!record((await connection.request(deleteBytes)).status)) continue
        const end = performance.now()
        if (end >= measureFrom && end < measureTo) tally.success(end - start)
      } catch (error) {
        tally.failure(error)
      }
    }
    connection.close()
  }
  await Promise.all(Array.from({ length: options.workers }, worker))
  return { ...tally.result(options.seconds), latencies: tally.latencies, emptyReceives }
}

/**
 * Splits `workers` over `processes` client processes, starts them together once all are up, and merges
 * their results. processes = 0 runs the workers in this process instead.
 */
export async function roundTrips(options: RoundTripOptions & { processes: number }): Promise<LoadResult> {
  const results = options.processes <= 0
    ? [await runRoundTripWorkers(options)]
    : await inClientProcesses(options, Math.min(options.processes, options.workers))
  const latencies = results.flatMap((r) => r.latencies)
  const statusCodes: Record<string, number> = {}
  for (const r of results) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n
  const sum = (pick: (r: WorkerResult) => number) => results.reduce((acc, r) => acc + pick(r), 0)
  const emptyReceives = sum((r) => r.emptyReceives)
  return {
    perSecond: sum((r) => r.ok) / options.seconds,
    ok: sum((r) => r.ok),
    seconds: options.seconds,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    mismatches: sum((r) => r.mismatches),
    ...percentiles(latencies),
    statusCodes,
    ...(emptyReceives > 0 ? { note: `${emptyReceives} empty receives retried` } : {}),
  }
}

async function inClientProcesses(options: RoundTripOptions, processes: number): Promise<WorkerResult[]> {
  const script = join(import.meta.dirname, 'roundtrip-client.ts')
  const clients = Array.from({ length: processes }, (_, i) => {
    const workers = Math.floor(options.workers / processes) + (i < options.workers % processes ? 1 : 0)
    const child = spawn(process.execPath, [script, JSON.stringify({ ...options, workers })], { stdio: ['pipe', 'pipe', 'inherit'] })
    trackChild(child)
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    const exited = new Promise<never>((_, reject) => {
      // A clean exit comes after the result line (and ends `lines`); anything else is a failure.
      child.once('exit', (code, signal) => {
        if (code !== 0) reject(new Error(`round-trip client failed (code ${code}, signal ${signal})`))
      })
      child.once('error', reject)
    })
    exited.catch(() => {})
    const nextLine = async () => {
      const line = await Promise.race([lines.next(), exited])
      if (line.done === true) throw new Error('round-trip client closed its output')
      return line.value
    }
    return { child, nextLine }
  })
  try {
    // Everyone up (Node started, code loaded) before anyone starts, so the windows line up.
    for (const client of clients) {
      const line = await client.nextLine()
      if (line !== 'ready') throw new Error(`round-trip client said ${JSON.stringify(line)} instead of ready`)
    }
    for (const client of clients) client.child.stdin?.end('go\n')
    return await Promise.all(clients.map(async (client) => JSON.parse(await client.nextLine()) as WorkerResult))
  } finally {
    for (const client of clients) if (client.child.exitCode === null) client.child.kill('SIGKILL')
  }
}
