// EventBridge's durable state as rows of the persistence layer (docs/persistence.md): buses, rules
// with their targets, each scheduled rule's next due time, archives and their events, replays,
// connections (secrets included) and API destinations. Only built with a data dir.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { ApiDestination } from './api-destination.ts'
import type { Connection } from './connection.ts'
import type { BusEvent } from './event.ts'
import type { EventBus } from './event-bus.ts'
import type * as T from './generated/types.ts'
import type { Replay } from './replay.ts'
import type { Rule } from './rule.ts'

/** Key `<account>/<region>/<name>` (so for every row keyed by a name below). */
export interface BusRow {
  account: string
  region: string
  name: string
  createdAt: number
  lastModifiedAt: number
  description: string | undefined
  kmsKeyIdentifier: string | undefined
  deadLetterConfig: T.DeadLetterConfig | undefined
  logConfig: T.LogConfig | undefined
  policy: EventBus['policy']
  tags: [string, string][]
}

/** Key `<account>/<region>/<bus>/<name>`; the targets (at most five) live in the rule's row. */
export interface RuleRow {
  account: string
  region: string
  busName: string
  name: string
  eventPattern: string | undefined
  scheduleExpression: string | undefined
  state: T.RuleState
  description: string | undefined
  roleArn: string | undefined
  managedBy: string | undefined
  archiveName: string | undefined
  tags: [string, string][]
  targets: T.Target[]
}

export interface ArchiveRow {
  account: string
  region: string
  name: string
  /** This incarnation of the name: its events' rows are keyed by it. */
  uid: string
  sourceArn: string
  createdAt: number
  description: string | undefined
  eventPattern: string | undefined
  retentionDays: number
}

/** Key `<archive uid>/<12-digit sequence>`: an archive's events in the order they were archived. */
export interface ArchivedEventRow {
  event: BusEvent
  archivedAt: number
  size: number
}

export interface ReplayRow {
  account: string
  region: string
  name: string
  description: string | undefined
  archiveArn: string
  destination: T.ReplayDestination
  startMs: number
  endMs: number
  startedAt: number
  state: T.ReplayState
  stateReason: string | undefined
  lastReplayedMs: number | undefined
  endedAt: number | undefined
}

export interface ConnectionRow {
  account: string
  region: string
  name: string
  arn: string
  secretArn: string
  createdAt: number
  modifiedAt: number
  authorizedAt: number
  description: string | undefined
  kmsKeyIdentifier: string | undefined
  type: T.ConnectionAuthorizationType
  /** With the secrets: on AWS they live in Secrets Manager; here in the store, as in memory. */
  auth: T.CreateConnectionAuthRequestParameters
  state: T.ConnectionState
  stateReason: string | undefined
  generation: number
}

export interface ApiDestinationRow {
  account: string
  region: string
  name: string
  arn: string
  createdAt: number
  modifiedAt: number
  description: string | undefined
  connectionArn: string
  endpoint: string
  method: T.ApiDestinationHttpMethod
  rateLimit: number
}

export interface EbStored {
  buses: BusRow[]
  rules: RuleRow[]
  /** Rule key → its next firing (epoch ms). */
  schedules: Map<string, number>
  archives: ArchiveRow[]
  /** Archive uid → its events, oldest first, with their sequence. */
  archived: Map<string, [seq: number, row: ArchivedEventRow][]>
  replays: ReplayRow[]
  connections: ConnectionRow[]
  apiDestinations: ApiDestinationRow[]
}

type Named = { account: string; region: string; name: string }
const keyOf = (r: Named) => `${r.account}/${r.region}/${r.name}`
export const ruleKey = (r: { account: string; region: string; busName: string; name: string }) => `${r.account}/${r.region}/${r.busName}/${r.name}`

export class EbRows {
  private readonly buses: Table<BusRow>
  private readonly rules: Table<RuleRow>
  private readonly schedules: Table<number>
  private readonly archives: Table<ArchiveRow>
  private readonly events: Table<ArchivedEventRow>
  private readonly replays: Table<ReplayRow>
  private readonly connections: Table<ConnectionRow>
  private readonly apiDestinations: Table<ApiDestinationRow>

  constructor(persistence: Persistence) {
    this.buses = persistence.table('eventbridge_buses')
    this.rules = persistence.table('eventbridge_rules')
    this.schedules = persistence.table('eventbridge_schedules')
    this.archives = persistence.table('eventbridge_archives')
    this.events = persistence.table('eventbridge_archive_events')
    this.replays = persistence.table('eventbridge_replays')
    this.connections = persistence.table('eventbridge_connections')
    this.apiDestinations = persistence.table('eventbridge_api_destinations')
  }

  bus(b: EventBus): void {
    this.buses.put(keyOf(b), {
      account: b.account, region: b.region, name: b.name, createdAt: b.createdAt, lastModifiedAt: b.lastModifiedAt,
      description: b.description, kmsKeyIdentifier: b.kmsKeyIdentifier, deadLetterConfig: b.deadLetterConfig, logConfig: b.logConfig,
      policy: b.policy, tags: [...b.tags],
    })
  }
  busGone(b: EventBus): void {
    this.buses.delete(keyOf(b))
  }

  rule(r: Rule): void {
    const s = r.spec
    this.rules.put(ruleKey(r), {
      account: r.account, region: r.region, busName: r.busName, name: r.name, eventPattern: s.eventPattern,
      scheduleExpression: s.schedule?.expression, state: s.state, description: s.description, roleArn: s.roleArn,
      managedBy: r.managedBy, archiveName: r.archiveName, tags: [...r.tags], targets: [...r.targets.values()],
    })
  }
  ruleGone(r: Rule): void {
    this.rules.delete(ruleKey(r))
    this.schedules.delete(ruleKey(r))
  }
  /** The rule's next firing, written each time its schedule is armed. */
  scheduled(r: Rule, at: number): void {
    this.schedules.put(ruleKey(r), at)
  }
  unscheduled(r: Rule): void {
    this.schedules.delete(ruleKey(r))
  }

  archive(a: ArchiveRow): void {
    this.archives.put(keyOf(a), a)
  }
  archiveGone(a: Named, uid: string, seqs: Iterable<number>): void {
    this.archives.delete(keyOf(a))
    for (const seq of seqs) this.archivedGone(uid, seq)
  }
  archived(uid: string, seq: number, row: ArchivedEventRow): void {
    this.events.put(`${uid}/${String(seq).padStart(12, '0')}`, row)
  }
  archivedGone(uid: string, seq: number): void {
    this.events.delete(`${uid}/${String(seq).padStart(12, '0')}`)
  }

  replay(r: Replay): void {
    this.replays.put(keyOf(r), {
      account: r.account, region: r.region, name: r.name, description: r.description, archiveArn: r.archiveArn,
      destination: r.destination, startMs: r.startMs, endMs: r.endMs, startedAt: r.startedAt, state: r.state,
      stateReason: r.stateReason, lastReplayedMs: r.lastReplayedMs, endedAt: r.endedAt,
    })
  }

  connection(c: Connection): void {
    this.connections.put(keyOf(c), {
      account: c.account, region: c.region, name: c.name, arn: c.arn, secretArn: c.secretArn, createdAt: c.createdAt,
      modifiedAt: c.modifiedAt, authorizedAt: c.authorizedAt, description: c.description, kmsKeyIdentifier: c.kmsKeyIdentifier,
      type: c.type, auth: c.auth, state: c.state, stateReason: c.stateReason, generation: c.generation,
    })
  }
  connectionGone(c: Connection): void {
    this.connections.delete(keyOf(c))
  }

  apiDestination(d: ApiDestination): void {
    this.apiDestinations.put(keyOf(d), {
      account: d.account, region: d.region, name: d.name, arn: d.arn, createdAt: d.createdAt, modifiedAt: d.modifiedAt,
      description: d.description, connectionArn: d.connectionArn, endpoint: d.endpoint, method: d.method, rateLimit: d.rateLimit,
    })
  }
  apiDestinationGone(d: ApiDestination): void {
    this.apiDestinations.delete(keyOf(d))
  }

  /** POST /_nimbus/reset: every EventBridge row goes. */
  clear(): void {
    for (const table of [this.buses, this.rules, this.schedules, this.archives, this.events, this.replays, this.connections,
      this.apiDestinations] as Table<unknown>[]) table.clear()
  }

  load(): EbStored {
    const archived = new Map<string, [number, ArchivedEventRow][]>()
    for (const [key, row] of this.events.load()) {
      const slash = key.indexOf('/')
      const uid = key.slice(0, slash)
      const entry: [number, ArchivedEventRow] = [Number(key.slice(slash + 1)), row]
      const list = archived.get(uid)
      if (list === undefined) archived.set(uid, [entry])
      else list.push(entry)
    }
    for (const list of archived.values()) list.sort(([a], [b]) => a - b)
    return {
      buses: this.buses.load().map(([, row]) => row),
      rules: this.rules.load().map(([, row]) => row),
      schedules: new Map(this.schedules.load()),
      archives: this.archives.load().map(([, row]) => row),
      archived,
      replays: this.replays.load().map(([, row]) => row),
      connections: this.connections.load().map(([, row]) => row),
      apiDestinations: this.apiDestinations.load().map(([, row]) => row),
    }
  }
}
