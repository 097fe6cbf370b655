// TagLogGroup / UntagLogGroup / ListTagsLogGroup (by name, deprecated but what older tools call)
// and TagResource / UntagResource / ListTagsForResource (by ARN).
import { parseArn } from '../../../core/arn.ts'
import type { Operation, OperationContext } from '../../service.ts'
import { logsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { LogGroup } from '../log-group.ts'
import type { LogsState } from '../store.ts'

const tagKeyPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u
const tagValuePattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

/** Key and value rules, and the 50-tag cap counting the tags already there. */
export function checkTags(tags: Record<string, string>, existing: number, onTooMany?: () => Error): void {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128 || !tagKeyPattern.test(key)) {
      throw logsErrors.validation(key, 'tags', 'Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]')
    }
    if (value.length > 256 || !tagValuePattern.test(value)) {
      throw logsErrors.validation(value, 'tags', 'Map values must satisfy constraint: [Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]')
    }
  }
  if (existing + Object.keys(tags).length > limits.maxTags) {
    throw onTooMany?.() ?? logsErrors.validation(Object.keys(tags).length, 'tags', `Member must have length less than or equal to ${limits.maxTags}`)
  }
}

function addTags(group: LogGroup, tags: Record<string, string>, onTooMany?: () => Error): void {
  const added = Object.keys(tags).filter((k) => !(k in group.tags)).length
  checkTags(tags, Object.keys(group.tags).length + added - Object.keys(tags).length, onTooMany)
  Object.assign(group.tags, tags)
  group.saved()
}

const tagsOf = (group: LogGroup) => ({ tags: { ...group.tags } })

export function tagOperations(state: LogsState) {
  /** Log group ARNs, with or without the trailing `:*`; other Logs resources are not kept. */
  const groupByArn = (arn: string, ctx: OperationContext): LogGroup => {
    const parsed = parseArn(arn)
    if (parsed === undefined || parsed.service !== 'logs') throw logsErrors.invalidParameter(`Invalid resource arn: ${arn}`)
    if (!parsed.resource.startsWith('log-group:')) throw logsErrors.resourceNotFound()
    return state.requireGroupByIdentifier(ctx.caller.account, ctx.caller.region, arn)
  }

  const tagLogGroup: Operation<T.TagLogGroupRequest, void> = (input, ctx) => {
    addTags(state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName), input.tags)
  }
  const untagLogGroup: Operation<T.UntagLogGroupRequest, void> = (input, ctx) => {
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    for (const key of input.tags) delete group.tags[key]
    group.saved()
  }
  const listTagsLogGroup: Operation<T.ListTagsLogGroupRequest, T.ListTagsLogGroupResponse> = (input, ctx) =>
    tagsOf(state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName))

  const tagResource: Operation<T.TagResourceRequest, void> = (input, ctx) => {
    const group = groupByArn(input.resourceArn, ctx)
    addTags(group, input.tags, () => logsErrors.tooManyTags(input.resourceArn))
  }
  const untagResource: Operation<T.UntagResourceRequest, void> = (input, ctx) => {
    const group = groupByArn(input.resourceArn, ctx)
    for (const key of input.tagKeys) delete group.tags[key]
    group.saved()
  }
  const listTagsForResource: Operation<T.ListTagsForResourceRequest, T.ListTagsForResourceResponse> = (input, ctx) =>
    tagsOf(groupByArn(input.resourceArn, ctx))

  return {
    TagLogGroup: tagLogGroup, UntagLogGroup: untagLogGroup, ListTagsLogGroup: listTagsLogGroup,
    TagResource: tagResource, UntagResource: untagResource, ListTagsForResource: listTagsForResource,
  }
}
