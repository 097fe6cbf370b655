// The durable column: SQS SendMessage/s and S3 1 KiB PUT/s with --data-dir (every answer after its
// group commit) against the same compiled Nimbus in memory, interleaved slice by slice in one run;
// spawn → first call on an empty data dir; and spawn → first call with many stored messages (the
// start-up that reads them back).
import { fmt } from './report.ts'
import { flood, hasErrors, describeErrors, type LoadResult } from './load.ts'
import { putLoad, type S3Target } from './s3.ts'
import { nimbusDiskSpec, type Started, startTarget, type TargetSpec } from './servers.ts'
import { createQueue, purgeQueue, sendMessageBatchBody, sendMessageBody, sqsCall, sqsHeaders } from './sqs.ts'

export interface DurableBenchOptions {
  /** The compiled Nimbus's spec; the durable target is it with --data-dir. */
  nimbusSpec: TargetSpec
  /** The in-memory Nimbus already running. */
  inMemory: Started
  seconds: number
  rounds: number
  connections: number
  /** Messages stored before timing a start that reads them back (0 skips it). */
  storedMessages: number
  log: (line: string) => void
}

/** S3 PUTs in flight at once for the durable row. */
const S3_IN_FLIGHT = 8

/** Durable SendMessage/s and PUT/s target: at least half of in-memory (issue 12 §5). */
export const DURABLE_SHARE_MIN = 0.5

export async function durableBench(options: DurableBenchOptions): Promise<string> {
  const { log } = options
  // Three spawns on fresh, empty data dirs (the median is reported); the last one serves the floods.
  const firstCalls: number[] = []
  let durable: Started | undefined
  for (let i = 0; i < 3; i++) {
    if (durable !== undefined) await durable.stop()
    durable = await startTarget(nimbusDiskSpec(options.nimbusSpec))
    firstCalls.push(durable.firstCallMs)
  }
  if (durable === undefined) throw new Error('no durable Nimbus started')
  const emptyFirstCallMs = [...firstCalls].sort((a, b) => a - b)[1]!
  log(`Nimbus --data-dir: spawn → first call on an empty data dir ${firstCalls.map((ms) => ms.toFixed(0)).join(', ')} ms`)
  const results = { memory: [] as LoadResult[], durable: [] as LoadResult[] }
  for (let round = 0; round < options.rounds; round++) {
    for (const [key, target] of [['memory', options.inMemory], ['durable', durable]] as const) {
      const { queueUrl } = await createQueue(target.port, `bench-durable-${key}-${round + 1}`)
      const result = await flood({
        port: target.port, headers: sqsHeaders('SendMessage'), body: sendMessageBody(queueUrl), connections: options.connections,
        warmupSeconds: round === 0 ? 1 : 0, seconds: options.seconds / options.rounds, verify: (b) => b.includes('"MessageId"'),
      })
      results[key].push(result)
      const flag = hasErrors(result) ? `  ⚠ ${describeErrors(result)}` : ''
      log(`  ${key.padEnd(8)} SendMessage ${fmt(result.perSecond).padStart(8)}/s  p50 ${result.latencyP50Ms.toFixed(1)} ms` +
        `  p99 ${result.latencyP99Ms.toFixed(1)} ms${flag}`)
      await purgeQueue(target.port, queueUrl)
    }
  }
  // S3 1 KiB PUTs: a fresh in-memory Nimbus (loading S3 into the shared one would change the later sections' RSS).
  const s3Memory = await startTarget(options.nimbusSpec)
  const s3Results = { memory: [] as LoadResult[], durable: [] as LoadResult[] }
  for (let round = 0; round < options.rounds; round++) {
    for (const [key, target] of [['memory', s3Memory], ['durable', durable]] as const) {
      const s3Target: S3Target = { label: key, port: target.port, serverPid: target.serverPid, closesConnections: false }
      const result = await putLoad(s3Target, `bench-durable-${key}-${round + 1}`, 1024, S3_IN_FLIGHT, options.seconds / options.rounds)
      s3Results[key].push(result)
      const flag = hasErrors(result) ? `  ⚠ ${describeErrors(result)}` : ''
      log(`  ${key.padEnd(8)} S3 PUT 1 KiB ${fmt(result.perSecond).padStart(8)}/s  p50 ${result.latencyP50Ms.toFixed(1)} ms` +
        `  p99 ${result.latencyP99Ms.toFixed(1)} ms${flag}`)
    }
  }
  await s3Memory.stop()
  await durable.stop()
  const rate = (list: LoadResult[]) => list.reduce((a, r) => a + r.perSecond * r.seconds, 0) / list.reduce((a, r) => a + r.seconds, 0)
  const p50 = (list: LoadResult[]) => list.reduce((a, r) => a + r.latencyP50Ms, 0) / list.length
  const memory = rate(results.memory)
  const disk = rate(results.durable)
  const share = disk / memory
  const s3MemoryRate = rate(s3Results.memory)
  const s3DiskRate = rate(s3Results.durable)
  const s3Share = s3DiskRate / s3MemoryRate

  let storedRow = ''
  if (options.storedMessages > 0) {
    const ms = await startWithStored(options.nimbusSpec, options.storedMessages, log)
    storedRow = `| Spawn → first call with ${fmt(options.storedMessages)} stored messages, ms | ${fmt(ms)} | |\n`
  }
  return [
    '## Durable (`--data-dir`)',
    '',
    `SendMessage floods (${options.connections} connections) and S3 1 KiB PUTs (${S3_IN_FLIGHT} in flight, 64 keys overwritten), ` +
      `the compiled Nimbus in memory and with \`--data-dir\`, interleaved in ${options.rounds} slices of ` +
      `${(options.seconds / options.rounds).toFixed(1)} s each. With a data dir every answer waits for the SQLite group commit ` +
      'that holds its write (one transaction per event-loop turn, WAL, synchronous=NORMAL); an S3 body is a file beside its row.',
    '',
    '| Metric | Value | Verdict |',
    '| --- | --- | --- |',
    `| SendMessage / s in memory | ${fmt(memory)} (p50 ${p50(results.memory).toFixed(1)} ms) | |`,
    `| SendMessage / s with --data-dir | ${fmt(disk)} (p50 ${p50(results.durable).toFixed(1)} ms) | |`,
    `| Durable / in memory (target ≥ ${DURABLE_SHARE_MIN * 100}%) | ${(share * 100).toFixed(0)}% | ${share >= DURABLE_SHARE_MIN ? 'PASS' : 'MISS'} |`,
    `| S3 PUT 1 KiB / s in memory | ${fmt(s3MemoryRate)} (p50 ${p50(s3Results.memory).toFixed(1)} ms) | |`,
    `| S3 PUT 1 KiB / s with --data-dir | ${fmt(s3DiskRate)} (p50 ${p50(s3Results.durable).toFixed(1)} ms) | |`,
    `| S3 durable / in memory (target ≥ ${DURABLE_SHARE_MIN * 100}%) | ${(s3Share * 100).toFixed(0)}% | ${s3Share >= DURABLE_SHARE_MIN ? 'PASS' : 'MISS'} |`,
    `| Spawn → first call, empty data dir, ms (median of 3) | ${fmt(emptyFirstCallMs)} | |`,
    ...(storedRow === '' ? [] : [storedRow.trimEnd()]),
  ].join('\n') + '\n'
}

/** Fills a data dir with `count` messages, stops Nimbus cleanly, and times the next start reading them back. */
async function startWithStored(spec: TargetSpec, count: number, log: (line: string) => void): Promise<number> {
  const durableSpec = nimbusDiskSpec(spec)
  const filling = await startTarget(durableSpec)
  const { queueUrl } = await createQueue(filling.port, 'bench-stored')
  const body = sendMessageBatchBody(queueUrl)
  let sent = 0
  const worker = async () => {
    while (sent < count) {
      sent += 10
      const res = await sqsCall(filling.port, 'SendMessageBatch', body)
      if (res.status !== 200) throw new Error(`SendMessageBatch answered ${res.status}`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  await filling.stop()
  const again = await startTarget(durableSpec, 120_000)
  const counted = await sqsCall(again.port, 'GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] })
  await again.stop()
  log(`Nimbus --data-dir with ${fmt(sent)} stored messages: spawn → first call ${again.firstCallMs.toFixed(0)} ms ` +
    `(${counted.text.slice(0, 120)}), RSS ${again.idleRssMb.toFixed(0)} MB`)
  return again.firstCallMs
}
