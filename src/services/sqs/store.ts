// The queues of one account in one region, plus the service-wide lookups across them.
import type { Clock } from '../../core/clock.ts'
import { formatArn, parseArn } from '../../core/arn.ts'
import { EventChannel } from '../../core/events.ts'
import { opaqueToken } from '../../core/ids.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import { sqsErrors } from './errors.ts'
import { limits } from './limits.ts'
import type { MoveTask } from './move-task.ts'
import type { SqsQueueEvent } from './port.ts'
import { Queue, type QueueDeps } from './queue.ts'
import type { SqsRows } from './sqs-rows.ts'

export type { SqsQueueEvent } from './port.ts'

export class RegionQueues {
  readonly queues = new Map<string, Queue>()
  /** When each recently deleted name may be used again. */
  readonly deletedUntil = new Map<string, number>()
  readonly account: string
  readonly region: string

  constructor(account: string, region: string) {
    this.account = account
    this.region = region
  }
}

export class SqsState {
  readonly clock: Clock
  readonly regions = new AccountRegionStore((account, region) => new RegionQueues(account, region))
  readonly moveTasks = new Map<string, MoveTask>()
  /** Queue lifecycle, for services that hold on to queues (event source mappings, subscriptions). */
  readonly events = new EventChannel<SqsQueueEvent>()
  /** Receives parked in a long poll right now (shown by /_nimbus/health; tests wait on it). */
  longPolls = 0
  /** Ends each parked long poll with no messages (Nimbus draining on shutdown). */
  readonly longPollEnders = new Set<() => void>()
  /** Set on shutdown: receives no longer wait. */
  draining = false
  /** A queue's AWS/SQS metrics changed (set by createSqs: CloudWatch re-plans its alarms). */
  metricsChanged: ((account: string, region: string) => void) | undefined
  /** A message moved to its queue's DLQ (set by createSqs: a hop in the fabric's trace log). */
  deadLettered: QueueDeps['deadLettered']
  /** With a data dir: where queues write their state. */
  private readonly rows: SqsRows | undefined
  private readonly queueDeps: QueueDeps

  constructor(clock: Clock, rows?: SqsRows) {
    this.clock = clock
    this.rows = rows
    this.queueDeps = { clock, findByArn: (target) => this.findByArn(target), rows,
      metricsChanged: (q) => this.metricsChanged?.(q.account, q.region),
      deadLettered: (from, to, id, count) => this.deadLettered?.(from, to, id, count) }
    if (rows !== undefined) this.restore(rows)
  }

  /** Every queue as stored, its messages back in their order and visibility as of now on the clock. */
  private restore(rows: SqsRows): void {
    const { queues, deletedNames } = rows.load(this.clock.now())
    for (const restored of queues) {
      const { account, region, name, uid, fifo, attributes } = restored.row
      const arn = formatArn({ service: 'sqs', region, account, resource: name })
      this.region(account, region).queues.set(name, new Queue({ name, account, region, arn, uid }, fifo, attributes, this.queueDeps, restored))
    }
    for (const [account, region, name, until] of deletedNames) this.region(account, region).deletedUntil.set(name, until)
  }

  region(account: string, region: string): RegionQueues {
    return this.regions.get(account, region)
  }

  findByArn(arn: string): Queue | undefined {
    const parsed = parseArn(arn)
    if (parsed === undefined || parsed.service !== 'sqs') return undefined
    return this.regions.peek(parsed.account, parsed.region)?.queues.get(parsed.resource)
  }

  /**
   * Finds a queue by URL. The host is ignored: any URL whose path ends in /<account>/<name> names
   * the queue (so URLs built for sqs.<region>.amazonaws.com, localhost or 127.0.0.1 all work).
   */
  findByUrl(url: string, defaultRegion: string): Queue | undefined {
    const parsed = cachedParse(url)
    if (parsed === undefined) return undefined
    const region = parsed.region ?? defaultRegion
    return this.regions.peek(parsed.account, region)?.queues.get(parsed.name)
  }

  requireByUrl(url: string, defaultRegion: string): Queue {
    const queue = this.findByUrl(url, defaultRegion)
    if (queue === undefined) throw sqsErrors.queueDoesNotExist()
    return queue
  }

  createQueue(account: string, region: string, name: string, fifo: boolean, attributes: Record<string, string>): Queue {
    const arn = formatArn({ service: 'sqs', region, account, resource: name })
    const queue = new Queue({ name, account, region, arn, uid: opaqueToken(9) }, fifo, attributes, this.queueDeps)
    const store = this.region(account, region)
    store.queues.set(name, queue)
    if (store.deletedUntil.delete(name)) this.rows?.nameDeleted(account, region, name, undefined)
    this.events.emit({ type: 'QueueCreated', queueArn: arn, fifo })
    return queue
  }

  deleteQueue(queue: Queue): void {
    const store = this.region(queue.identity.account, queue.identity.region)
    store.queues.delete(queue.name)
    const until = this.clock.now() + limits.deletedNameReuseMs
    store.deletedUntil.set(queue.name, until)
    this.rows?.nameDeleted(queue.identity.account, queue.identity.region, queue.name, until)
    queue.erase()
    queue.close()
    this.events.emit({ type: 'QueueDeleted', queueArn: queue.arn, fifo: queue.fifo })
  }

  allQueues(): Queue[] {
    return [...this.regions.all()].flatMap((r) => [...r.queues.values()])
  }

  /** Shutdown: every parked long poll answers empty now, and no new one parks. */
  drain(): void {
    this.draining = true
    for (const end of [...this.longPollEnders]) end()
  }

  /** POST /_nimbus/reset: every queue and message goes, from the data dir too. */
  reset(): void {
    this.close()
    this.moveTasks.clear()
    this.regions.clear()
    this.rows?.clear()
  }

  /** Shutdown: timers and waiters stop; the state (and its rows) stays for the next start. */
  close(): void {
    for (const queue of this.allQueues()) queue.close()
    for (const task of this.moveTasks.values()) task.stop()
  }
}

export interface ParsedQueueUrl {
  account: string
  name: string
  region?: string
}

// Clients send the same few queue URLs over and over; parsing one with `new URL` on every call
// showed up in profiles. The cache is bounded and simply starts afresh when full.
const parsedUrls = new Map<string, ParsedQueueUrl | undefined>()

function cachedParse(url: string): ParsedQueueUrl | undefined {
  if (parsedUrls.has(url)) return parsedUrls.get(url)
  if (parsedUrls.size >= 10_000) parsedUrls.clear()
  const parsed = parseQueueUrl(url)
  parsedUrls.set(url, parsed)
  return parsed
}

/** Accepts http(s)://host[:port]/<account>/<name>, …/queue/<region>/<account>/<name>, and sqs.<region>.* hosts. */
export function parseQueueUrl(url: string): ParsedQueueUrl | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const parts = parsed.pathname.split('/').filter((p) => p !== '')
  if (parts.length < 2) return undefined
  const name = decodeURIComponent(parts[parts.length - 1]!)
  const account = parts[parts.length - 2]!
  const hostRegion = /^sqs\.([a-z0-9-]+)\./.exec(parsed.hostname)?.[1] ?? /^([a-z]{2}-[a-z]+-\d)\.queue\./.exec(parsed.hostname)?.[1]
  const pathRegion = parts.length >= 4 && parts[parts.length - 4] === 'queue' ? parts[parts.length - 3] : undefined
  const region = pathRegion ?? hostRegion
  return region === undefined ? { account, name } : { account, name, region }
}

/** The URL clients get back: the host they called, then /<account>/<name>. */
export function queueUrl(queue: Queue, host: string): string {
  return `http://${host}/${queue.identity.account}/${queue.name}`
}
