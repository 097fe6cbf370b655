// TagResource, UntagResource, ListTagsForResource on buses and rules.
import { parseArn } from '../../../core/arn.ts'
import type { Operation } from '../../service.ts'
import type { EbContext } from '../context.ts'
import { ebErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { EventBus } from '../event-bus.ts'
import { limits } from '../limits.ts'
import { Rule } from '../rule.ts'
import { tagList } from './common.ts'

export function tagOperations(ctx: EbContext) {
  const requireResource = (arn: string) => {
    const resource = ctx.state.findTaggable(arn)
    if (resource !== undefined) return resource
    const path = parseArn(arn)?.resource.split('/') ?? []
    if (path[0] === 'rule') {
      const [bus, rule] = path.length === 3 ? [path[1]!, path[2]!] : ['default', path[1] ?? '']
      throw ebErrors.ruleNotFound(rule, bus)
    }
    if (path[0] === 'event-bus') throw ebErrors.busNotFound(path.slice(1).join('/'))
    throw ebErrors.resourceNotFound(`Resource ${arn} does not exist.`)
  }

  const save = (resource: EventBus | Rule) => {
    if (resource instanceof Rule) ctx.state.rows?.rule(resource)
    else ctx.state.rows?.bus(resource)
  }

  const tagResource: Operation<T.TagResourceRequest, T.TagResourceResponse> = (input) => {
    const resource = requireResource(input.ResourceARN)
    const merged = new Set([...resource.tags.keys(), ...input.Tags.map((t) => t.Key)])
    if (merged.size > limits.maxTags) throw ebErrors.limitExceeded()
    for (const tag of input.Tags) resource.tags.set(tag.Key, tag.Value)
    save(resource)
    return {}
  }

  const untagResource: Operation<T.UntagResourceRequest, T.UntagResourceResponse> = (input) => {
    const resource = requireResource(input.ResourceARN)
    for (const key of input.TagKeys) resource.tags.delete(key)
    save(resource)
    return {}
  }

  const listTagsForResource: Operation<T.ListTagsForResourceRequest, T.ListTagsForResourceResponse> = (input) =>
    ({ Tags: tagList(requireResource(input.ResourceARN).tags) })

  return { TagResource: tagResource, UntagResource: untagResource, ListTagsForResource: listTagsForResource }
}
