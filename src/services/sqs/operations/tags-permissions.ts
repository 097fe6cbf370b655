// TagQueue, UntagQueue, ListQueueTags, AddPermission, RemovePermission.
import type { Operation } from '../../service.ts'
import { sqsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { SqsState } from '../store.ts'
import { requireQueue } from './common.ts'

const maxTags = 50

interface PolicyDocument {
  Version: string
  Id: string
  Statement: { Sid: string; [key: string]: unknown }[]
}

export function tagAndPermissionOperations(state: SqsState) {
  const tagQueue: Operation<T.TagQueueRequest, void> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    const merged = { ...queue.tags, ...input.Tags }
    if (Object.keys(merged).length > maxTags) {
      throw sqsErrors.invalidParameterValue(`Too many tags added for queue ${queue.name}.`)
    }
    queue.tag(input.Tags)
  }

  const untagQueue: Operation<T.UntagQueueRequest, void> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    queue.untag(input.TagKeys)
  }

  const listQueueTags: Operation<T.ListQueueTagsRequest, T.ListQueueTagsResult> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    return { Tags: Object.keys(queue.tags).length > 0 ? { ...queue.tags } : undefined }
  }

  const addPermission: Operation<T.AddPermissionRequest, void> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    const policy = readPolicy(queue.attribute('Policy'), queue.arn)
    if (policy.Statement.some((s) => s.Sid === input.Label)) {
      throw sqsErrors.invalidParameter('Label', input.Label, 'Already exists.')
    }
    if (input.AWSAccountIds.length === 0 || input.Actions.length === 0) {
      throw sqsErrors.missingParameter(input.AWSAccountIds.length === 0 ? 'AWSAccountIds' : 'Actions')
    }
    policy.Statement.push({
      Sid: input.Label,
      Effect: 'Allow',
      Principal: { AWS: input.AWSAccountIds.map((id) => `arn:aws:iam::${id}:root`) },
      Action: input.Actions.map((a) => `SQS:${a}`),
      Resource: queue.arn,
    })
    queue.setAttributes({ Policy: JSON.stringify(policy) })
  }

  const removePermission: Operation<T.RemovePermissionRequest, void> = (input, ctx) => {
    const queue = requireQueue(state, input.QueueUrl, ctx)
    const policy = readPolicy(queue.attribute('Policy'), queue.arn)
    const remaining = policy.Statement.filter((s) => s.Sid !== input.Label)
    if (remaining.length === policy.Statement.length) {
      throw sqsErrors.invalidParameter('Label', input.Label, "can't find label.")
    }
    queue.setAttributes({ Policy: remaining.length === 0 ? '' : JSON.stringify({ ...policy, Statement: remaining }) })
  }

  return {
    TagQueue: tagQueue, UntagQueue: untagQueue, ListQueueTags: listQueueTags,
    AddPermission: addPermission, RemovePermission: removePermission,
  }
}

function readPolicy(raw: string | undefined, arn: string): PolicyDocument {
  const fresh: PolicyDocument = { Version: '2012-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [] }
  if (raw === undefined) return fresh
  try {
    const parsed = JSON.parse(raw) as Partial<PolicyDocument>
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : []
    return { ...fresh, ...parsed, Statement: statements }
  } catch {
    return fresh
  }
}
