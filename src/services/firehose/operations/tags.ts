// TagDeliveryStream / UntagDeliveryStream / ListTagsForDeliveryStream.
import type { Operation } from '../../service.ts'
import { firehoseErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { FirehoseState } from '../store.ts'

// Names, tag counts (1-50 a call), keys and values were checked against the model before these run (index.ts).
export function tagOperations(state: FirehoseState) {
  const tagDeliveryStream: Operation<T.TagDeliveryStreamInput, T.TagDeliveryStreamOutput> = (input, ctx) => {
    const stream = state.require(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName)
    const added = new Set(input.Tags.map((t) => t.Key).filter((k) => !stream.tags.has(k)))
    if (stream.tags.size + added.size > limits.maxTags) {
      throw firehoseErrors.tooManyTags(stream.name)
    }
    for (const tag of input.Tags) stream.tags.set(tag.Key, tag.Value ?? '')
    state.saved(stream)
    return {}
  }

  const untagDeliveryStream: Operation<T.UntagDeliveryStreamInput, T.UntagDeliveryStreamOutput> = (input, ctx) => {
    const stream = state.require(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName)
    for (const key of input.TagKeys) stream.tags.delete(key)
    state.saved(stream)
    return {}
  }

  const listTagsForDeliveryStream: Operation<T.ListTagsForDeliveryStreamInput, T.ListTagsForDeliveryStreamOutput> = (input, ctx) => {
    const stream = state.require(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName)
    const limit = input.Limit ?? 50
    const start = input.ExclusiveStartTagKey
    const keys = [...stream.tags.keys()].sort().filter((k) => start === undefined || k > start)
    return { Tags: keys.slice(0, limit).map((Key) => ({ Key, Value: stream.tags.get(Key)! })), HasMoreTags: keys.length > limit }
  }

  return { TagDeliveryStream: tagDeliveryStream, UntagDeliveryStream: untagDeliveryStream, ListTagsForDeliveryStream: listTagsForDeliveryStream }
}
