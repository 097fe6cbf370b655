// CloudWatch Logs survives `kill -9`: the built CLI on a data dir is killed while PutLogEvents
// calls are in flight, then started again on the same folder. Every acknowledged event is there,
// in order, with its timestamp, and streams go on from their stored upload count.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { describe, it } from 'node:test'
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, type OutputLogEvent, PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { killTestDir } from '../../helpers/spawn-cli.ts'

const { dataDir, processes } = killTestDir('nimbus-logs-kill-')

function client(endpoint: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })
}

async function readAll(logs: CloudWatchLogsClient, logStreamName: string): Promise<OutputLogEvent[]> {
  const all: OutputLogEvent[] = []
  let nextToken: string | undefined
  for (;;) {
    const page = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName, startFromHead: true, nextToken }))
    all.push(...page.events!)
    if (page.events!.length === 0 || page.nextForwardToken === nextToken) return all
    nextToken = page.nextForwardToken
  }
}

describe('CloudWatch Logs on a data dir, killed with SIGKILL', () => {
  it('keeps every acknowledged PutLogEvents batch', async () => {
    const first = await processes.start(['--data-dir', dataDir])
    let logs = client(first.endpoint)
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'app', tags: { team: 'a' } }))
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'app', retentionInDays: 30 }))
    const streams = ['s0', 's1', 's2']
    for (const logStreamName of streams) await logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName }))
    const t0 = Date.now() - 60_000
    const acknowledged = new Map<string, Array<{ timestamp: number; message: string }>>(streams.map((s) => [s, []]))
    let total = 0
    let stop = false
    let cutOff = 0
    const loop = async (logStreamName: string) => {
      for (let i = 0; !stop; i++) {
        // The manual clock started at the real time and stands still: a minute before it, one ms per batch.
        const logEvents = Array.from({ length: 1 + (i % 20) }, (_, j) => ({ timestamp: t0 + i, message: `${logStreamName} ${i}.${j}` }))
        try {
          await logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName, logEvents }))
          acknowledged.get(logStreamName)!.push(...logEvents)
          total += logEvents.length
        } catch {
          cutOff++
          return
        }
      }
    }
    const loops = streams.map(loop)
    while (total < 2000) await new Promise((r) => setImmediate(r))
    await processes.kill(first)
    stop = true
    await Promise.all(loops)
    assert.ok(cutOff > 0, 'the kill cut off writes in flight')
    logs.destroy()

    const second = await processes.start(['--data-dir', dataDir])
    logs = client(second.endpoint)
    for (const logStreamName of streams) {
      const stored = (await readAll(logs, logStreamName)).map((e) => ({ timestamp: e.timestamp, message: e.message }))
      const expected = acknowledged.get(logStreamName)!
      assert.deepEqual(stored.slice(0, expected.length), expected, `every acknowledged event of ${logStreamName}, in order`)
      // At most the one batch whose answer the kill cut off committed after them.
      assert.ok(stored.length - expected.length <= 20)
    }
    logs.destroy()
    second.child.kill('SIGTERM')
    assert.deepEqual(await once(second.child, 'exit'), [0, null])
  })
})
