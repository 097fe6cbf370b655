// TagDeliveryStream / UntagDeliveryStream / ListTagsForDeliveryStream.
import type { Operation } from '../../service.ts'
import { firehoseErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { FirehoseState } from '../store.ts'
import { checkLimit, checkStreamName } from './common.ts'

const keyPattern = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@%]*$/u
const valuePattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]*$/u

export function checkTagList(tags: readonly T.Tag[], member: string): void {
  if (tags.length > limits.maxTags) throw firehoseErrors.validation(`[${tags.map((t) => `Tag(key=${t.Key}, value=${t.Value ?? ''})`).join(', ')}]`, member, 'Member must have length less than or equal to 50')
  tags.forEach((tag, i) => {
    if (tag.Key.length < 1 || tag.Key.length > 128 || !keyPattern.test(tag.Key)) {
      throw firehoseErrors.validation(tag.Key, `${member}.${i + 1}.member.key`, 'Member must satisfy regular expression pattern: ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$')
    }
    const value = tag.Value ?? ''
    if (value.length > 256 || !valuePattern.test(value)) {
      throw firehoseErrors.validation(value, `${member}.${i + 1}.member.value`, 'Member must satisfy regular expression pattern: ^[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$')
    }
  })
}

export function tagOperations(state: FirehoseState) {
  const tagDeliveryStream: Operation<T.TagDeliveryStreamInput, T.TagDeliveryStreamOutput> = (input, ctx) => {
    checkStreamName(input.DeliveryStreamName)
    if (input.Tags.length < 1) throw firehoseErrors.validation('[]', 'tags', 'Member must have length greater than or equal to 1')
    checkTagList(input.Tags, 'tags')
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
    checkStreamName(input.DeliveryStreamName)
    if (input.TagKeys.length < 1 || input.TagKeys.length > limits.maxTags) {
      throw firehoseErrors.validation(`[${input.TagKeys.join(', ')}]`, 'tagKeys',
        input.TagKeys.length < 1 ? 'Member must have length greater than or equal to 1' : 'Member must have length less than or equal to 50')
    }
    const stream = state.require(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName)
    for (const key of input.TagKeys) stream.tags.delete(key)
    state.saved(stream)
    return {}
  }

  const listTagsForDeliveryStream: Operation<T.ListTagsForDeliveryStreamInput, T.ListTagsForDeliveryStreamOutput> = (input, ctx) => {
    checkStreamName(input.DeliveryStreamName)
    checkLimit(input.Limit, 'limit', 50)
    const stream = state.require(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName)
    const limit = input.Limit ?? 50
    const start = input.ExclusiveStartTagKey
    const keys = [...stream.tags.keys()].sort().filter((k) => start === undefined || k > start)
    return { Tags: keys.slice(0, limit).map((Key) => ({ Key, Value: stream.tags.get(Key)! })), HasMoreTags: keys.length > limit }
  }

  return { TagDeliveryStream: tagDeliveryStream, UntagDeliveryStream: untagDeliveryStream, ListTagsForDeliveryStream: listTagsForDeliveryStream }
}
