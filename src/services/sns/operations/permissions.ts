// AddPermission/RemovePermission edit the topic's access policy document (a statement per label);
// Get/PutDataProtectionPolicy keep the data protection policy. Both are stored, not enforced (README).
import type { Operation } from '../../service.ts'
import { snsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { SnsState } from '../store.ts'
import { defaultPolicy, type Topic } from '../topic.ts'

/** The topic actions a permission may name [M]. */
const topicActions = new Set(['AddPermission', 'DeleteTopic', 'GetDataProtectionPolicy', 'GetTopicAttributes',
  'ListSubscriptionsByTopic', 'ListTagsForResource', 'Publish', 'PutDataProtectionPolicy', 'RemovePermission',
  'SetTopicAttributes', 'Subscribe', 'TagResource', 'UntagResource', 'Receive'])

interface PolicyDocument {
  Version?: string
  Id?: string
  Statement?: { Sid?: string }[]
}

/** The topic's policy with its statements as a list (IAM allows one statement object on its own). */
function policyOf(topic: Topic): PolicyDocument {
  const policy = JSON.parse(topic.attributes.Policy ?? defaultPolicy(topic.arn, topic.account)) as { Statement?: unknown }
  return { ...policy, Statement: statementsOf(policy.Statement) } as PolicyDocument
}

/** SetTopicAttributes has checked they are objects (topics.ts). */
function statementsOf(statement: unknown): { Sid?: string }[] {
  if (statement === undefined) return []
  return (Array.isArray(statement) ? statement : [statement]) as { Sid?: string }[]
}

export function permissionOperations(state: SnsState) {
  const addPermission: Operation<T.AddPermissionInput, void> = (input) => {
    const topic = state.requireTopic(input.TopicArn)
    if (input.AWSAccountId.length === 0) throw snsErrors.invalidParameter('AWSAccountId')
    if (input.ActionName.length === 0) throw snsErrors.invalidParameter('ActionName')
    if (input.ActionName.some((action) => !topicActions.has(action))) throw snsErrors.actionOutOfScope()
    const policy = policyOf(topic)
    const statements = policy.Statement ?? []
    if (statements.some((s) => s.Sid === input.Label)) throw snsErrors.permissionExists()
    const principals = input.AWSAccountId.map((id) => `arn:aws:iam::${id}:root`)
    const actions = input.ActionName.map((action) => `SNS:${action}`)
    statements.push({
      Sid: input.Label,
      Effect: 'Allow',
      Principal: { AWS: principals.length === 1 ? principals[0] : principals },
      Action: actions.length === 1 ? actions[0] : actions,
      Resource: topic.arn,
    } as { Sid: string })
    topic.attributes.Policy = JSON.stringify({ ...policy, Statement: statements })
    topic.save()
  }

  // Removing a label the policy doesn't have succeeds, like SNS's other deletes [R].
  const removePermission: Operation<T.RemovePermissionInput, void> = (input) => {
    const topic = state.requireTopic(input.TopicArn)
    const policy = policyOf(topic)
    const statements = (policy.Statement ?? []).filter((s) => s.Sid !== input.Label)
    topic.attributes.Policy = JSON.stringify({ ...policy, Statement: statements })
    topic.save()
  }

  const getDataProtectionPolicy: Operation<T.GetDataProtectionPolicyInput, T.GetDataProtectionPolicyResponse> = (input) =>
    ({ DataProtectionPolicy: state.requireTopic(input.ResourceArn, 'ResourceArn').dataProtectionPolicy })

  const putDataProtectionPolicy: Operation<T.PutDataProtectionPolicyInput, void> = (input) => {
    const topic = state.requireTopic(input.ResourceArn, 'ResourceArn')
    let doc: unknown
    try {
      doc = JSON.parse(input.DataProtectionPolicy)
    } catch {
      throw snsErrors.invalidParameter('DataProtectionPolicy Reason: failed to parse JSON.')
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw snsErrors.invalidParameter('DataProtectionPolicy Reason: must be a JSON object.')
    }
    topic.dataProtectionPolicy = input.DataProtectionPolicy
    topic.save()
  }

  return {
    AddPermission: addPermission, RemovePermission: removePermission,
    GetDataProtectionPolicy: getDataProtectionPolicy, PutDataProtectionPolicy: putDataProtectionPolicy,
  }
}
