// TagResource, UntagResource, ListTagsOfResource: tags of a table, by its ARN.
import type { Operation, OperationContext } from '../../service.ts'
import { dynamoErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { DynamoState } from '../store.ts'
import type { Table } from '../table.ts'

export function checkTags(tags: T.Tag[], existing = 0): void {
  for (const tag of tags) {
    if (tag.Key.length < 1 || tag.Key.length > 128) throw dynamoErrors.constraint(tag.Key, 'tags.member.key', 'Member must have length less than or equal to 128')
    if (tag.Value.length > 256) throw dynamoErrors.constraint(tag.Value, 'tags.member.value', 'Member must have length less than or equal to 256')
  }
  if (existing + tags.length > limits.maxTags) throw dynamoErrors.limitExceeded('Too many tags: a table can have at most 50 tags')
}

function tableByArn(state: DynamoState, ctx: OperationContext, arn: string): Table {
  const match = /^arn:aws[\w-]*:dynamodb:([\w-]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})$/.exec(arn)
  if (match === null) throw dynamoErrors.validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`)
  const table = state.find(match[2]!, match[1]!, match[3]!)
  if (table === undefined || table.def.account !== ctx.caller.account) throw dynamoErrors.arnNotFound(arn)
  return table
}

export function tagOperations(state: DynamoState) {
  const tagResource: Operation<T.TagResourceInput, void> = (input, ctx) => {
    const table = tableByArn(state, ctx, input.ResourceArn)
    const added = input.Tags.filter((t) => !(t.Key in table.def.tags)).length
    checkTags(input.Tags, Object.keys(table.def.tags).length + added - input.Tags.length)
    for (const tag of input.Tags) table.def.tags[tag.Key] = tag.Value
    state.saved(table)
  }

  const untagResource: Operation<T.UntagResourceInput, void> = (input, ctx) => {
    const table = tableByArn(state, ctx, input.ResourceArn)
    for (const key of input.TagKeys) delete table.def.tags[key]
    state.saved(table)
  }

  const listTags: Operation<T.ListTagsOfResourceInput, T.ListTagsOfResourceOutput> = (input, ctx) => {
    const table = tableByArn(state, ctx, input.ResourceArn)
    return { Tags: Object.entries(table.def.tags).map(([Key, Value]) => ({ Key, Value })) }
  }

  return { TagResource: tagResource, UntagResource: untagResource, ListTagsOfResource: listTags }
}
