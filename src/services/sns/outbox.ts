// What SNS "sent" to endpoints that would leave the machine on AWS (email, email-json, SMS):
// kept in memory and readable at GET /_nimbus/sns/messages, so a test can assert on them and
// follow a confirmation email's SubscribeURL.
import type { HttpRequest, HttpResponse } from '../../protocol/http.ts'

export type OutboxMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'

export interface OutboxMessage {
  protocol: string
  endpoint: string
  topicArn: string
  subscriptionArn: string | undefined
  type: OutboxMessageType
  messageId: string
  /** The e-mail subject line (email, email-json); undefined for SMS. */
  subject: string | undefined
  /** What the endpoint received: the text (email, SMS) or the JSON document (email-json). */
  message: string
  /** Confirmation messages: the URL that confirms the subscription. */
  subscribeUrl: string | undefined
  timestamp: string
}

/** Where a durable outbox writes (SnsRows; an interface here keeps the two files from importing each other). */
export interface OutboxRows {
  recorded(key: string, message: OutboxMessage): void
  outboxCleared(): void
}

/** The filters GET /_nimbus/sns/messages takes as query parameters. */
const filters = ['protocol', 'endpoint', 'topicArn', 'subscriptionArn', 'type'] as const

export class Outbox {
  private readonly messages: OutboxMessage[] = []
  /** With a data dir the outbox is durable: a confirmation email's SubscribeURL still works after a restart. */
  private readonly rows: OutboxRows | undefined
  private next = 0

  constructor(rows?: OutboxRows) {
    this.rows = rows
  }

  record(message: OutboxMessage): void {
    this.messages.push(message)
    this.rows?.recorded(String(this.next++).padStart(12, '0'), message)
  }

  /** At start: the messages stored, in the order they were recorded. */
  restore(stored: [key: string, message: OutboxMessage][]): void {
    for (const [key, message] of stored) {
      this.messages.push(message)
      this.next = Math.max(this.next, Number(key) + 1)
    }
  }

  /** Shutdown: memory only, the rows stay. */
  forget(): void {
    this.messages.length = 0
  }

  list(where: Partial<Record<(typeof filters)[number], string>> = {}): OutboxMessage[] {
    return this.messages.filter((m) => filters.every((key) => where[key] === undefined || m[key] === where[key]))
  }

  clear(): void {
    this.messages.length = 0
    this.rows?.outboxCleared()
  }

  /** GET lists (filtered by query parameters), DELETE empties. */
  handle(request: HttpRequest): HttpResponse {
    if (request.method === 'DELETE') {
      this.clear()
      return json(200, { deleted: true })
    }
    if (request.method !== 'GET') return json(405, { error: 'MethodNotAllowed', message: 'Use GET or DELETE.' })
    const where: Partial<Record<(typeof filters)[number], string>> = {}
    for (const key of filters) {
      const value = request.query.get(key)
      if (value !== null) where[key] = value
    }
    return json(200, { messages: this.list(where) })
  }
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}
