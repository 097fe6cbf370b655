// CreateOrUpdateTags, DeleteTags, DescribeTags: a group's tags (PropagateAtLaunch ones go on the instances it launches).
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations, Tag } from '../generated/types.ts'
import { tagView } from '../group-view.ts'
import type { Group } from '../group.ts'
import { limits } from '../limits.ts'
import type { AutoScalingState, RegionAutoScaling } from '../store.ts'
import { page } from './common.ts'

function groupOfTag(state: AutoScalingState, region: RegionAutoScaling, tag: Tag): Group {
  if (tag.ResourceType !== undefined && tag.ResourceType !== 'auto-scaling-group') {
    throw autoScalingErrors.validation(`Invalid resource type: ${tag.ResourceType}`) // [R]
  }
  if (tag.ResourceId === undefined) throw autoScalingErrors.missingParameter('ResourceId')
  return state.requireGroup(region, tag.ResourceId)
}

const filterKeys: Record<string, (g: Group, t: Group['tags'][number]) => string> = {
  'auto-scaling-group': (g) => g.name, key: (_, t) => t.Key, value: (_, t) => t.Value,
  'propagate-at-launch': (_, t) => String(t.PropagateAtLaunch),
}

export function tagOperations(state: AutoScalingState): OperationTable<AutoScalingOperations> {
  return {
    CreateOrUpdateTags: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      for (const tag of input.Tags) {
        const group = groupOfTag(state, region, tag)
        const value = { Key: tag.Key, Value: tag.Value ?? '', PropagateAtLaunch: tag.PropagateAtLaunch === true }
        const at = group.tags.findIndex((t) => t.Key === tag.Key)
        if (at >= 0) group.tags[at] = value
        else if (group.tags.length >= limits.tagsPerGroup) throw autoScalingErrors.limitExceeded(`Tag limit of ${limits.tagsPerGroup} exceeded for ${group.name}`) // [R]
        else group.tags.push(value)
        state.save(group)
      }
    },

    DeleteTags: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      for (const tag of input.Tags) {
        const group = groupOfTag(state, region, tag)
        group.tags = group.tags.filter((t) => t.Key !== tag.Key || (tag.Value !== undefined && tag.Value !== t.Value))
        state.save(group)
      }
    },

    DescribeTags: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      for (const f of input.Filters ?? []) {
        if (filterKeys[f.Name ?? ''] === undefined) throw autoScalingErrors.validation(`Filter type ${f.Name} is not correct. Allowed Filter types are: auto-scaling-group key value propagate-at-launch`) // [R]
      }
      const rows = [...region.groups.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
        .flatMap((g) => g.tags.filter((t) => (input.Filters ?? []).every((f) => (f.Values ?? []).includes(filterKeys[f.Name!]!(g, t))))
          .map((t) => tagView(g, t)))
      const { items, nextToken } = page('tags', rows, input.NextToken, input.MaxRecords)
      return { Tags: items, ...(nextToken !== undefined && { NextToken: nextToken }) }
    },
  }
}
