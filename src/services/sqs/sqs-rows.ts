// SQS's durable state as rows of the persistence layer (docs/persistence.md): what each row holds,
// the writes a queue makes at each state change, and reading them back at start.
// Only built with a data dir: in memory the queues hold no SqsRows and write nothing.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import type { Attributes, Message, SystemAttributes } from './message.ts'

/** A queue: everything but its messages. Key `<account>/<region>/<name>`. */
export interface QueueRow {
  account: string
  region: string
  name: string
  uid: string
  fifo: boolean
  attributes: Record<string, string>
  tags: Record<string, string>
  createdAt: number
  lastModifiedAt: number
  lastPurgeAt: number | undefined
  /** The FIFO sequence counter, so numbers keep increasing across restarts. */
  sequence: string
}

/** What changes after a send: receives, visibility changes, a move. Key `<queue uid>/<message id>`. */
export interface MessageStateRow {
  enqueuedAt: number
  sequenceNumber: string | undefined
  deadLetterSourceArn: string | undefined
  visibleAt: number
  receiveCount: number
  firstReceivedAt: number | undefined
  lastReceivedAt: number | undefined
  receipt: number
}

type StoredValue = { DataType: string; StringValue?: string; BinaryValue?: string; StringListValues?: string[]; BinaryListValues?: string[] }
type StoredAttributes = Record<string, StoredValue>

/** A message as sent, with its state at that time. Same key as its state row, which overrides the state. */
export interface MessageRow extends MessageStateRow {
  queue: string
  id: string
  body: string
  bodyMd5: string
  attributes: StoredAttributes | undefined
  attributesMd5: string | undefined
  systemAttributes: StoredAttributes | undefined
  systemAttributesMd5: string | undefined
  senderId: string
  sentAt: number
  groupId: string | undefined
  dedupId: string | undefined
  size: number
}

/** A FIFO deduplication entry. Key `<queue uid>/<encoded dedup key>`. */
export interface DedupRow {
  key: string
  expiresAt: number
  messageId: string
  sequenceNumber: string | undefined
}

export interface DedupEntry {
  message: Message
  expiresAt: number
}

/** What a queue had when Nimbus stopped, for its constructor. */
export interface RestoredQueue {
  row: QueueRow
  messages: Message[]
  dedup: [key: string, entry: DedupEntry][]
}

export interface QueueRowSource {
  readonly identity: { account: string; region: string; name: string; uid: string }
  readonly fifo: boolean
  readonly tags: Record<string, string>
  readonly createdAt: number
  readonly lastModifiedAt: number
  readonly lastPurgeAt: number | undefined
  storedAttributes(): Readonly<Record<string, string>>
  readonly sequenceCounter: bigint
}

export class SqsRows {
  private readonly queues: Table<QueueRow>
  private readonly messages: Table<MessageRow>
  private readonly states: Table<MessageStateRow>
  private readonly dedups: Table<DedupRow>
  private readonly deletedNames: Table<number>

  constructor(persistence: Persistence) {
    this.queues = persistence.table('sqs_queues')
    this.messages = persistence.table('sqs_messages')
    this.states = persistence.table('sqs_message_states')
    this.dedups = persistence.table('sqs_dedup')
    this.deletedNames = persistence.table('sqs_deleted_names')
  }

  queue(q: QueueRowSource): void {
    const { account, region, name, uid } = q.identity
    // Attributes and tags are read at commit time: the latest state of the turn is what lands.
    this.queues.put(`${account}/${region}/${name}`, {
      account, region, name, uid, fifo: q.fifo, attributes: q.storedAttributes() as Record<string, string>, tags: q.tags,
      createdAt: q.createdAt, lastModifiedAt: q.lastModifiedAt, lastPurgeAt: q.lastPurgeAt, sequence: String(q.sequenceCounter),
    })
  }
  queueGone(q: QueueRowSource): void {
    const { account, region, name } = q.identity
    this.queues.delete(`${account}/${region}/${name}`)
  }
  /** A name deleted recently may not be reused until `until` (AWS: 60 seconds). */
  nameDeleted(account: string, region: string, name: string, until: number | undefined): void {
    const key = `${account}/${region}/${name}`
    if (until === undefined) this.deletedNames.delete(key)
    else this.deletedNames.put(key, until)
  }

  /** A message new to a queue (sent, or moved in): the whole message. */
  message(queueUid: string, m: Message): void {
    this.messages.put(`${queueUid}/${m.id}`, {
      queue: queueUid, id: m.id, body: m.body, bodyMd5: m.bodyMd5, attributes: encode(m.attributes), attributesMd5: m.attributesMd5,
      systemAttributes: encode(m.systemAttributes), systemAttributesMd5: m.systemAttributesMd5, senderId: m.senderId,
      sentAt: m.sentAt, groupId: m.groupId, dedupId: m.dedupId, size: m.size, ...state(m),
    })
  }
  /** A received message or one whose visibility changed: only the small state row is rewritten. */
  messageState(queueUid: string, m: Message): void {
    this.states.put(`${queueUid}/${m.id}`, state(m))
  }
  messageGone(queueUid: string, m: Message): void {
    const key = `${queueUid}/${m.id}`
    this.messages.delete(key)
    this.states.delete(key)
  }

  dedup(queueUid: string, key: string, entry: DedupEntry): void {
    this.dedups.put(`${queueUid}/${encodeURIComponent(key)}`,
      { key, expiresAt: entry.expiresAt, messageId: entry.message.id, sequenceNumber: entry.message.sequenceNumber })
  }
  dedupGone(queueUid: string, key: string): void {
    this.dedups.delete(`${queueUid}/${encodeURIComponent(key)}`)
  }

  /** POST /_nimbus/reset: every SQS row goes. */
  clear(): void {
    for (const table of [this.queues, this.messages, this.states, this.dedups, this.deletedNames]) table.clear()
  }

  /** Everything stored, per queue, messages in the order they entered their queue. */
  load(now: number): { queues: RestoredQueue[]; deletedNames: [account: string, region: string, name: string, until: number][] } {
    const states = new Map(this.states.load())
    const messagesByQueue = new Map<string, Message[]>()
    for (const [key, row] of this.messages.load()) {
      const message = decodeMessage(row, states.get(key))
      const list = messagesByQueue.get(row.queue)
      if (list === undefined) messagesByQueue.set(row.queue, [message])
      else list.push(message)
    }
    const dedupByQueue = new Map<string, DedupRow[]>()
    for (const [key, row] of this.dedups.load()) {
      const uid = key.slice(0, key.indexOf('/'))
      const list = dedupByQueue.get(uid)
      if (list === undefined) dedupByQueue.set(uid, [row])
      else list.push(row)
    }
    const queues = this.queues.load().map(([, row]): RestoredQueue => {
      const messages = messagesByQueue.get(row.uid) ?? []
      const byId = new Map(messages.map((m) => [m.id, m]))
      // The window is the same for every entry: expiry order is the order the queue prunes in.
      const dedup = (dedupByQueue.get(row.uid) ?? []).sort((a, b) => a.expiresAt - b.expiresAt)
        .map((d): [string, DedupEntry] => [d.key, { expiresAt: d.expiresAt, message: byId.get(d.messageId) ?? shell(d) }])
      return { row, messages, dedup }
    })
    const deletedNames = this.deletedNames.load().flatMap(([key, until]) => {
      const [account, region, name] = key.split('/') as [string, string, string]
      return until > now ? [[account, region, name, until] as [string, string, string, number]] : []
    })
    return { queues, deletedNames }
  }
}

function state(m: Message): MessageStateRow {
  return {
    enqueuedAt: m.enqueuedAt, sequenceNumber: m.sequenceNumber, deadLetterSourceArn: m.deadLetterSourceArn, visibleAt: m.visibleAt,
    receiveCount: m.receiveCount, firstReceivedAt: m.firstReceivedAt, lastReceivedAt: m.lastReceivedAt, receipt: m.receipt,
  }
}

function decodeMessage(row: MessageRow, latest: MessageStateRow | undefined): Message {
  const s = latest ?? row
  return {
    id: row.id, body: row.body, bodyMd5: row.bodyMd5, attributes: decode(row.attributes), attributesMd5: row.attributesMd5,
    systemAttributes: decode(row.systemAttributes), systemAttributesMd5: row.systemAttributesMd5, senderId: row.senderId,
    sentAt: row.sentAt, groupId: row.groupId, dedupId: row.dedupId, size: row.size,
    enqueuedAt: s.enqueuedAt, sequenceNumber: s.sequenceNumber, deadLetterSourceArn: s.deadLetterSourceArn, visibleAt: s.visibleAt,
    receiveCount: s.receiveCount, firstReceivedAt: s.firstReceivedAt, lastReceivedAt: s.lastReceivedAt, receipt: s.receipt,
    deleted: false, hidden: false, readyToken: 0,
  }
}

/** A deduplicated send answers with the original's id and sequence number, even once it was deleted. */
function shell(d: DedupRow): Message {
  return {
    id: d.messageId, sequenceNumber: d.sequenceNumber, body: '', bodyMd5: '', attributes: undefined, attributesMd5: undefined,
    systemAttributes: undefined, systemAttributesMd5: undefined, senderId: '', sentAt: 0, enqueuedAt: 0, groupId: undefined,
    dedupId: undefined, deadLetterSourceArn: undefined, visibleAt: 0, receiveCount: 0, firstReceivedAt: undefined,
    lastReceivedAt: undefined, receipt: 0, deleted: true, hidden: false, readyToken: 0, size: 0,
  }
}

// Binary attribute values are bytes in memory, base64 in a row.
function encode(attributes: Attributes | SystemAttributes | undefined): StoredAttributes | undefined {
  if (attributes === undefined) return undefined
  const out: StoredAttributes = {}
  for (const [name, v] of Object.entries(attributes)) {
    const stored: StoredValue = { DataType: v.DataType }
    if (v.StringValue !== undefined) stored.StringValue = v.StringValue
    if (v.BinaryValue !== undefined) stored.BinaryValue = Buffer.from(v.BinaryValue).toString('base64')
    if (v.StringListValues !== undefined) stored.StringListValues = v.StringListValues
    if (v.BinaryListValues !== undefined) stored.BinaryListValues = v.BinaryListValues.map((b) => Buffer.from(b).toString('base64'))
    out[name] = stored
  }
  return out
}

function decode(stored: StoredAttributes | undefined): Attributes | undefined {
  if (stored === undefined) return undefined
  const out: Attributes = {}
  for (const [name, v] of Object.entries(stored)) {
    out[name] = {
      DataType: v.DataType,
      ...(v.StringValue !== undefined && { StringValue: v.StringValue }),
      ...(v.BinaryValue !== undefined && { BinaryValue: new Uint8Array(Buffer.from(v.BinaryValue, 'base64')) }),
      ...(v.StringListValues !== undefined && { StringListValues: v.StringListValues }),
      ...(v.BinaryListValues !== undefined && { BinaryListValues: v.BinaryListValues.map((b) => new Uint8Array(Buffer.from(b, 'base64'))) }),
    }
  }
  return out
}
