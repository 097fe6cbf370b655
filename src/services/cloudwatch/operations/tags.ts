// TagResource, UntagResource, ListTagsForResource on alarms (arn:aws:cloudwatch:<region>:<account>:alarm:<name>).
import type { OperationTable } from '../../service.ts'
import type { Alarm } from '../alarm.ts'
import { cloudWatchErrors } from '../errors.ts'
import type { CloudWatchOperations } from '../generated/types.ts'
import type { CloudWatchState } from '../store.ts'

type Ops = Pick<CloudWatchOperations, 'TagResource' | 'UntagResource' | 'ListTagsForResource'>

export function tagOperations(state: CloudWatchState): OperationTable<Ops> {
  const find = (arn: string, account: string, region: string): Alarm => {
    const m = /^arn:aws[\w-]*:cloudwatch:([^:]+):(\d{12}):alarm:(.+)$/.exec(arn)
    const alarm = m === null ? undefined : state.regions.peek(m[2]!, m[1]!)?.alarms.get(m[3]!)
    if (alarm === undefined || alarm.account !== account || alarm.region !== region) throw cloudWatchErrors.resourceNotFound(arn)
    return alarm
  }
  return {
    TagResource: (input, ctx) => {
      const alarm = find(input.ResourceARN, ctx.caller.account, ctx.caller.region)
      if (Object.keys({ ...alarm.tags, ...Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value])) }).length > 50) {
        throw cloudWatchErrors.limitExceeded('The maximum number of tags for a resource is 50.')
      }
      for (const t of input.Tags) alarm.tags[t.Key] = t.Value
      state.saveAlarm(alarm)
      return {}
    },
    UntagResource: (input, ctx) => {
      const alarm = find(input.ResourceARN, ctx.caller.account, ctx.caller.region)
      for (const k of input.TagKeys) delete alarm.tags[k]
      state.saveAlarm(alarm)
      return {}
    },
    ListTagsForResource: (input, ctx) => {
      const alarm = find(input.ResourceARN, ctx.caller.account, ctx.caller.region)
      return { Tags: Object.entries(alarm.tags).map(([Key, Value]) => ({ Key, Value })) }
    },
  }
}
