// Starts an in-process Nimbus for a test file, on a free port, with a manual clock by default.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { startNimbus, type Nimbus } from '../../src/index.ts'
import type { NimbusOptions } from '../../src/config.ts'

export const testCredentials = { accessKeyId: 'test', secretAccessKey: 'test' }

/** Starts Nimbus before the file's tests and stops it after; read `.current` inside tests. */
export function useNimbus(options: NimbusOptions = {}): { readonly current: Nimbus } {
  const holder: { current?: Nimbus } = {}
  // NIMBUS_TEST_DURABLE=1 runs a suite against a fresh data dir: the same behaviour, every write persisted.
  const dataDir = process.env.NIMBUS_TEST_DURABLE === '1' && options.dataDir === undefined
    ? mkdtempSync(join(tmpdir(), 'nimbus-test-data-')) : undefined
  before(async () => {
    holder.current = await startNimbus({ port: 0, clock: 'manual', log: () => {}, ...(dataDir !== undefined && { dataDir }), ...options })
  })
  after(async () => {
    await holder.current?.stop()
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    get current(): Nimbus {
      if (holder.current === undefined) throw new Error('Nimbus is not started yet')
      return holder.current
    },
  }
}

/** Moves a manual clock forward and lets the timers' follow-up work (promises) run. */
export async function advance(nimbus: Nimbus, ms: number): Promise<void> {
  const clock = nimbus.clock
  if (clock.mode !== 'manual') throw new Error('advance needs a manual clock')
  clock.advance(ms)
  await new Promise((resolve) => setImmediate(resolve))
}

/** Advances a manual clock to the start of its next second, so a test's writes share one second
 * (per-second quotas: Kinesis shard limits, Firehose's direct-put quota). */
export async function toNextSecond(nimbus: Nimbus): Promise<void> {
  await advance(nimbus, 1000 - (nimbus.clock.now() % 1000))
}

/** The status of Nimbus's health endpoint over HTTP: 200 while it serves (a stalled event loop answers late). */
export async function healthStatus(nimbus: Nimbus): Promise<number> {
  return (await fetch(`${nimbus.endpoint}/_nimbus/health`)).status
}

let counter = 0
/** A queue/topic name unique within this process. */
export function uniqueName(prefix = 'q'): string {
  counter += 1
  return `${prefix}-${process.pid}-${counter}`
}

/** SQS receives parked in a long poll on the server right now. */
export function parkedLongPolls(nimbus: Nimbus): number {
  return (nimbus.health().sqs as { longPolls?: number } | undefined)?.longPolls ?? 0
}

/**
 * Resolves once `count` SQS receives are parked in a long poll on the server, so a test can move
 * the clock knowing the request has arrived. Yields to the event loop between looks; never sleeps.
 */
export async function longPollsParked(nimbus: Nimbus, count = 1): Promise<void> {
  for (let attempt = 0; attempt < 100_000; attempt++) {
    if (parkedLongPolls(nimbus) >= count) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error(`no ${count} long poll(s) parked on the server`)
}
