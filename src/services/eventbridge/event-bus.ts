// An event bus: its rules (indexed for matching), resource policy, settings and tags.
import { PatternIndex } from '../../event-pattern/index.ts'
import type * as T from './generated/types.ts'
import type { Rule } from './rule.ts'

export interface PolicyStatement {
  Sid: string
  Effect: string
  Principal: unknown
  Action: unknown
  Resource: unknown
  Condition?: unknown
}

export class EventBus {
  readonly name: string
  readonly arn: string
  readonly account: string
  readonly region: string
  readonly createdAt: number
  lastModifiedAt: number
  description: string | undefined
  kmsKeyIdentifier: string | undefined
  deadLetterConfig: T.DeadLetterConfig | undefined
  logConfig: T.LogConfig | undefined
  /** The resource policy document, or undefined when the bus has none. */
  policy: { Version: string; Statement: PolicyStatement[] } | undefined
  readonly rules = new Map<string, Rule>()
  /** Enabled event-pattern rules, matched together. */
  readonly index = new PatternIndex<Rule>()
  readonly tags = new Map<string, string>()

  constructor(init: { name: string; account: string; region: string; now: number }) {
    this.name = init.name
    this.account = init.account
    this.region = init.region
    this.arn = `arn:aws:events:${init.region}:${init.account}:event-bus/${init.name}`
    this.createdAt = init.now
    this.lastModifiedAt = init.now
  }

  /** Keeps the index in step with a rule's state and pattern (call after any change to the rule). */
  reindex(rule: Rule): void {
    if (rule.enabled && rule.spec.compiled !== undefined && this.rules.get(rule.name) === rule) this.index.add(rule, rule.spec.compiled)
    else this.index.remove(rule)
  }

  removeRule(rule: Rule): void {
    this.rules.delete(rule.name)
    this.index.remove(rule)
  }

  policyText(): string | undefined {
    return this.policy === undefined ? undefined : JSON.stringify(this.policy)
  }

  /**
   * Whether `account` may put events here: its own bus, or a policy statement allowing
   * events:PutEvents to `*` or to that account (conditions are not evaluated).
   */
  allowsPutEventsFrom(account: string): boolean {
    if (account === this.account) return true
    return (this.policy?.Statement ?? []).some((s) => s.Effect === 'Allow' && actionAllows(s.Action) && principalAllows(s.Principal, account))
  }
}

function actionAllows(action: unknown): boolean {
  const actions = Array.isArray(action) ? action : [action]
  return actions.some((a) => a === 'events:PutEvents' || a === 'events:*' || a === '*')
}

function principalAllows(principal: unknown, account: string): boolean {
  if (principal === '*') return true
  const aws = (principal as { AWS?: unknown } | undefined)?.AWS
  const list = Array.isArray(aws) ? aws : [aws]
  return list.some((p) => p === '*' || p === account || p === `arn:aws:iam::${account}:root`)
}
