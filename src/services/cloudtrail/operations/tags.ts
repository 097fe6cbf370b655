// Trail tags: AddTags, RemoveTags, ListTags (ResourceId is the trail's ARN).
import type { OperationTable } from '../../service.ts'
import { cloudTrailErrors } from '../errors.ts'
import type { CloudTrailOperations, Tag } from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { CloudTrailState } from '../store.ts'
import type { Trail } from '../trail.ts'

export function checkTags(tags: readonly Tag[]): void {
  for (const tag of tags) {
    if (tag.Key.length === 0 || tag.Key.length > 128) throw cloudTrailErrors.invalidTag('Tag key must be between 1 and 128 characters.')
    if ((tag.Value ?? '').length > 256) throw cloudTrailErrors.invalidTag('Tag value must be at most 256 characters.')
  }
}

const trailArnPattern = /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/.+$/

function requireTrailByArn(state: CloudTrailState, account: string, region: string, arn: string): Trail {
  if (!trailArnPattern.test(arn)) throw cloudTrailErrors.invalidArn(arn)
  const trail = state.find(account, region, arn)
  if (trail === undefined) throw cloudTrailErrors.resourceNotFound(arn)
  return trail
}

export function tagOperations(state: CloudTrailState) {
  return {
    AddTags: (input, ctx) => {
      const trail = requireTrailByArn(state, ctx.caller.account, ctx.caller.region, input.ResourceId)
      const tags = input.TagsList ?? []
      checkTags(tags)
      const merged = new Map(trail.tags.map((t) => [t.Key, t]))
      for (const tag of tags) merged.set(tag.Key, { Key: tag.Key, ...(tag.Value !== undefined && { Value: tag.Value }) })
      if (merged.size > limits.maxTags) throw cloudTrailErrors.tooManyTags(input.ResourceId)
      trail.tags = [...merged.values()]
      state.save(trail)
      return {}
    },
    RemoveTags: (input, ctx) => {
      const trail = requireTrailByArn(state, ctx.caller.account, ctx.caller.region, input.ResourceId)
      const gone = new Set((input.TagsList ?? []).map((t) => t.Key))
      trail.tags = trail.tags.filter((t) => !gone.has(t.Key))
      state.save(trail)
      return {}
    },
    ListTags: (input, ctx) => ({
      ResourceTagList: input.ResourceIdList.map((arn) => {
        const trail = requireTrailByArn(state, ctx.caller.account, ctx.caller.region, arn)
        return { ResourceId: arn, TagsList: trail.tags }
      }),
    }),
  } satisfies OperationTable<CloudTrailOperations>
}
