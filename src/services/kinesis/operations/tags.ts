// Tags on streams (AddTagsToStream/RemoveTagsFromStream/ListTagsForStream) and on streams or
// consumers by ARN (TagResource/UntagResource/ListTagsForResource).
import type { Operation, OperationContext } from '../../service.ts'
import { kinesisErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { KinesisState } from '../store.ts'
import type { Stream } from '../stream.ts'
import { requireStream } from './common.ts'
import { find } from './consumers.ts'

export function tagOperations(state: KinesisState) {
  const add = (stream: Stream, tags: Record<string, string>, target: Record<string, string>): void => {
    const merged = { ...target, ...tags }
    if (Object.keys(merged).length > limits.maxTags) {
      throw kinesisErrors.invalidArgument(`Failed to add tags to stream ${stream.name} under account ${stream.meta.account} because ` +
        `a given stream cannot have more than ${limits.maxTags} tags associated with it.`)
    }
    Object.assign(target, tags)
    state.save(stream)
  }
  const remove = (stream: Stream, keys: readonly string[], target: Record<string, string>): void => {
    for (const key of keys) delete target[key]
    state.save(stream)
  }
  const list = (tags: Record<string, string>): T.Tag[] =>
    Object.keys(tags).sort().map((Key) => ({ Key, Value: tags[Key] }))

  /** A stream's or a consumer's tags, by ARN. */
  const resource = (arn: string, ctx: OperationContext): { stream: Stream; tags: Record<string, string> } => {
    if (arn.includes('/consumer/')) {
      const { stream, consumer } = find(state, { ConsumerARN: arn }, ctx)
      return { stream, tags: consumer.tags }
    }
    const stream = requireStream(state, { StreamARN: arn }, ctx)
    return { stream, tags: stream.meta.tags }
  }

  const addTagsToStream: Operation<T.AddTagsToStreamInput, void> = (input, ctx) => {
    const stream = requireStream(state, input, ctx)
    add(stream, input.Tags, stream.meta.tags)
  }
  const removeTagsFromStream: Operation<T.RemoveTagsFromStreamInput, void> = (input, ctx) => {
    const stream = requireStream(state, input, ctx)
    remove(stream, input.TagKeys, stream.meta.tags)
  }
  const listTagsForStream: Operation<T.ListTagsForStreamInput, T.ListTagsForStreamOutput> = (input, ctx) => {
    const stream = requireStream(state, input, ctx)
    const all = list(stream.meta.tags).filter((t) => input.ExclusiveStartTagKey === undefined || t.Key > input.ExclusiveStartTagKey)
    const limit = input.Limit ?? 50
    return { Tags: all.slice(0, limit), HasMoreTags: all.length > limit }
  }
  const tagResource: Operation<T.TagResourceInput, void> = (input, ctx) => {
    const { stream, tags } = resource(input.ResourceARN, ctx)
    add(stream, input.Tags, tags)
  }
  const untagResource: Operation<T.UntagResourceInput, void> = (input, ctx) => {
    const { stream, tags } = resource(input.ResourceARN, ctx)
    remove(stream, input.TagKeys, tags)
  }
  const listTagsForResource: Operation<T.ListTagsForResourceInput, T.ListTagsForResourceOutput> = (input, ctx) =>
    ({ Tags: list(resource(input.ResourceARN, ctx).tags) })

  return {
    AddTagsToStream: addTagsToStream, RemoveTagsFromStream: removeTagsFromStream, ListTagsForStream: listTagsForStream,
    TagResource: tagResource, UntagResource: untagResource, ListTagsForResource: listTagsForResource,
  }
}
