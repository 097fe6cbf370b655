// PutTargets, RemoveTargets, ListTargetsByRule.
import type { Operation } from '../../service.ts'
import type { EbContext } from '../context.ts'
import { ebErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import { checkTarget } from '../target-validation.ts'
import { checkName, page } from './common.ts'

export function targetOperations(ctx: EbContext) {
  const { state } = ctx

  const putTargets: Operation<T.PutTargetsRequest, T.PutTargetsResponse> = (input, { caller }) => {
    checkName(input.Rule, 'Rule', 64)
    if (input.Targets.length === 0) throw ebErrors.constraint('[]', 'Targets', 'Member must have length greater than or equal to 1')
    if (input.Targets.length > limits.maxTargetsPerRequest) {
      throw ebErrors.constraint(null, 'Targets', `Member must have length less than or equal to ${limits.maxTargetsPerRequest}`)
    }
    const rule = state.requireRule(input.Rule, input.EventBusName, caller)
    if (rule.managedBy !== undefined) throw ebErrors.managedRule(rule.name, rule.managedBy)
    input.Targets.forEach(checkTarget)
    const ids = new Set([...rule.targets.keys(), ...input.Targets.map((t) => t.Id)])
    if (ids.size > limits.maxTargetsPerRule) throw ebErrors.limitExceeded()
    // A target with an existing Id is replaced, as on AWS.
    for (const target of input.Targets) rule.targets.set(target.Id, target)
    state.rows?.rule(rule)
    return { FailedEntryCount: 0, FailedEntries: [] }
  }

  // Ids the rule does not have are simply ignored [R].
  const removeTargets: Operation<T.RemoveTargetsRequest, T.RemoveTargetsResponse> = (input, { caller }) => {
    checkName(input.Rule, 'Rule', 64)
    const rule = state.requireRule(input.Rule, input.EventBusName, caller)
    if (rule.managedBy !== undefined && input.Force !== true) throw ebErrors.managedRule(rule.name, rule.managedBy)
    for (const id of input.Ids) rule.targets.delete(id)
    state.rows?.rule(rule)
    return { FailedEntryCount: 0, FailedEntries: [] }
  }

  const listTargetsByRule: Operation<T.ListTargetsByRuleRequest, T.ListTargetsByRuleResponse> = (input, { caller }) => {
    checkName(input.Rule, 'Rule', 64)
    const rule = state.requireRule(input.Rule, input.EventBusName, caller)
    const { items, next } = page([...rule.targets.values()], input.NextToken, input.Limit)
    return { Targets: items, NextToken: next }
  }

  return { PutTargets: putTargets, RemoveTargets: removeTargets, ListTargetsByRule: listTargetsByRule }
}
