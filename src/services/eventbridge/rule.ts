// A rule: an event pattern or a schedule, its state, and up to five targets.
import type { CompiledPattern } from '../../event-pattern/index.ts'
import type * as T from './generated/types.ts'
import type { Schedule } from './schedule/schedule.ts'

export type RuleState = T.RuleState

export interface RuleSpec {
  eventPattern: string | undefined
  compiled: CompiledPattern | undefined
  schedule: Schedule | undefined
  state: RuleState
  description: string | undefined
  roleArn: string | undefined
}

export class Rule {
  readonly name: string
  readonly arn: string
  readonly busName: string
  readonly account: string
  readonly region: string
  /** `events.amazonaws.com` for the rules archives create; such rules are changed only through their owner. */
  readonly managedBy: string | undefined
  /** The archive a managed archive rule feeds, by name. */
  readonly archiveName: string | undefined
  spec: RuleSpec
  readonly targets = new Map<string, T.Target>()
  readonly tags = new Map<string, string>()

  constructor(init: { name: string; arn: string; busName: string; account: string; region: string; spec: RuleSpec;
    managedBy?: string; archiveName?: string }) {
    this.name = init.name
    this.arn = init.arn
    this.busName = init.busName
    this.account = init.account
    this.region = init.region
    this.spec = init.spec
    this.managedBy = init.managedBy
    this.archiveName = init.archiveName
  }

  get enabled(): boolean {
    return this.spec.state !== 'DISABLED'
  }

  describe(): T.DescribeRuleResponse {
    return {
      Name: this.name, Arn: this.arn, EventPattern: this.spec.eventPattern, ScheduleExpression: this.spec.schedule?.expression,
      State: this.spec.state, Description: this.spec.description, RoleArn: this.spec.roleArn, ManagedBy: this.managedBy,
      EventBusName: this.busName, CreatedBy: this.account,
    }
  }

  summary(): T.Rule {
    const { CreatedBy: _createdBy, ...rest } = this.describe()
    return rest
  }
}

export function ruleArn(account: string, region: string, busName: string, name: string): string {
  const path = busName === 'default' ? name : `${busName}/${name}`
  return `arn:aws:events:${region}:${account}:rule/${path}`
}
