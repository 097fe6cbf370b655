// TagResource, UntagResource, ListTagsForResource (topics are SNS's only taggable resource here).
import type { Operation } from '../../service.ts'
import { snsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { SnsState } from '../store.ts'
import type { Topic } from '../topic.ts'

export function tagOperations(state: SnsState) {
  const requireResource = (arn: string): Topic => {
    const topic = state.findTopic(arn)
    if (topic === undefined) throw snsErrors.resourceNotFound()
    return topic
  }

  const tagResource: Operation<T.TagResourceRequest, T.TagResourceResponse> = (input) => {
    const topic = requireResource(input.ResourceArn)
    const merged = new Map(topic.tags)
    for (const tag of input.Tags) merged.set(tag.Key, tag.Value)
    if (merged.size > limits.maxTags) throw snsErrors.tagLimitExceeded()
    for (const tag of input.Tags) topic.tags.set(tag.Key, tag.Value)
    topic.save()
    return {}
  }

  const untagResource: Operation<T.UntagResourceRequest, T.UntagResourceResponse> = (input) => {
    const topic = requireResource(input.ResourceArn)
    for (const key of input.TagKeys) topic.tags.delete(key)
    topic.save()
    return {}
  }

  const listTagsForResource: Operation<T.ListTagsForResourceRequest, T.ListTagsForResourceResponse> = (input) => {
    const topic = requireResource(input.ResourceArn)
    return { Tags: [...topic.tags].map(([Key, Value]) => ({ Key, Value })) }
  }

  return { TagResource: tagResource, UntagResource: untagResource, ListTagsForResource: listTagsForResource }
}
