// PutRule, DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule, ListRuleNamesByTarget, TestEventPattern.
import { testEventPattern } from '../../../event-pattern/index.ts'
import type { Operation, OperationContext } from '../../service.ts'
import type { EbContext } from '../context.ts'
import { ebErrors } from '../errors.ts'
import type { EventBus } from '../event-bus.ts'
import type * as T from '../generated/types.ts'
import { Rule, ruleArn, type RuleSpec } from '../rule.ts'
import { parseSchedule } from '../schedule/schedule.ts'
import { checkName, compileEventPattern, page } from './common.ts'

const states = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'])

/** Validates PutRule's input into a rule spec; PutRule replaces the whole rule, so omitted fields are cleared [M]. */
function ruleSpec(input: T.PutRuleRequest, bus: EventBus): RuleSpec {
  if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
    throw ebErrors.validation('Parameter(s) EventPattern or ScheduleExpression must be specified.')
  }
  if (input.State !== undefined && !states.has(input.State)) {
    throw ebErrors.constraint(input.State, 'State', 'Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]')
  }
  let schedule
  if (input.ScheduleExpression !== undefined) {
    if (bus.name !== 'default') throw ebErrors.validation('ScheduleExpression is supported only on the default event bus.')
    schedule = parseSchedule(input.ScheduleExpression)
  }
  const compiled = input.EventPattern === undefined ? undefined : compileEventPattern(input.EventPattern)
  return { eventPattern: input.EventPattern, compiled, schedule, state: input.State ?? 'ENABLED', description: input.Description,
    roleArn: input.RoleArn }
}

export function ruleOperations(ctx: EbContext) {
  const { state, scheduler } = ctx
  const requireRule = (name: string, bus: string | undefined, { caller }: OperationContext) => {
    checkName(name, 'Name', 64)
    return state.requireRule(name, bus, caller)
  }
  const unmanaged = (rule: Rule) => {
    if (rule.managedBy !== undefined) throw ebErrors.managedRule(rule.name, rule.managedBy)
    return rule
  }
  const setState = (rule: Rule, value: T.RuleState) => {
    rule.spec = { ...rule.spec, state: value }
    state.rows?.rule(rule)
    state.findBus(rule.busName, rule)?.reindex(rule)
    scheduler.sync(rule)
  }

  const putRule: Operation<T.PutRuleRequest, T.PutRuleResponse> = (input, { caller }) => {
    checkName(input.Name, 'Name', 64)
    const bus = state.requireBus(input.EventBusName, caller)
    const existing = bus.rules.get(input.Name)
    if (existing !== undefined) unmanaged(existing)
    const spec = ruleSpec(input, bus)
    const rule = existing ?? new Rule({ name: input.Name, arn: ruleArn(bus.account, bus.region, bus.name, input.Name),
      busName: bus.name, account: bus.account, region: bus.region, spec })
    rule.spec = spec
    if (existing === undefined) for (const tag of input.Tags ?? []) rule.tags.set(tag.Key, tag.Value)
    bus.rules.set(rule.name, rule)
    state.rows?.rule(rule)
    bus.reindex(rule)
    scheduler.sync(rule)
    return { RuleArn: rule.arn }
  }

  const describeRule: Operation<T.DescribeRuleRequest, T.DescribeRuleResponse> = (input, ctx) =>
    requireRule(input.Name, input.EventBusName, ctx).describe()

  const listRules: Operation<T.ListRulesRequest, T.ListRulesResponse> = (input, { caller }) => {
    const bus = state.requireBus(input.EventBusName, caller)
    const rules = [...bus.rules.values()]
      .filter((r) => input.NamePrefix === undefined || r.name.startsWith(input.NamePrefix))
      .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    const { items, next } = page(rules, input.NextToken, input.Limit)
    return { Rules: items.map((r) => r.summary()), NextToken: next }
  }

  const enableRule: Operation<T.EnableRuleRequest, void> = (input, ctx) =>
    setState(unmanaged(requireRule(input.Name, input.EventBusName, ctx)), 'ENABLED')
  const disableRule: Operation<T.DisableRuleRequest, void> = (input, ctx) =>
    setState(unmanaged(requireRule(input.Name, input.EventBusName, ctx)), 'DISABLED')

  // Deleting a rule that does not exist succeeds, as on AWS; one with targets is refused [S].
  const deleteRule: Operation<T.DeleteRuleRequest, void> = (input, { caller }) => {
    checkName(input.Name, 'Name', 64)
    const bus = state.requireBus(input.EventBusName, caller)
    const rule = bus.rules.get(input.Name)
    if (rule === undefined) return
    if (rule.managedBy !== undefined && input.Force !== true) unmanaged(rule)
    if (rule.targets.size > 0) throw ebErrors.validation("Rule can't be deleted since it has targets.")
    bus.removeRule(rule)
    scheduler.cancel(rule)
    state.rows?.ruleGone(rule)
  }

  const listRuleNamesByTarget: Operation<T.ListRuleNamesByTargetRequest, T.ListRuleNamesByTargetResponse> = (input, { caller }) => {
    const bus = state.requireBus(input.EventBusName, caller)
    const names = [...bus.rules.values()]
      .filter((r) => [...r.targets.values()].some((t) => t.Arn === input.TargetArn))
      .map((r) => r.name).sort()
    const { items, next } = page(names, input.NextToken, input.Limit)
    return { RuleNames: items, NextToken: next }
  }

  const testPattern: Operation<T.TestEventPatternRequest, T.TestEventPatternResponse> = (input) =>
    ({ Result: testEventPattern(input.EventPattern, input.Event) })

  return {
    PutRule: putRule, DescribeRule: describeRule, ListRules: listRules, EnableRule: enableRule, DisableRule: disableRule,
    DeleteRule: deleteRule, ListRuleNamesByTarget: listRuleNamesByTarget, TestEventPattern: testPattern,
  }
}
