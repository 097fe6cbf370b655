// What a trail records: PutEventSelectors, GetEventSelectors.
import type { OperationTable } from '../../service.ts'
import { cloudTrailErrors } from '../errors.ts'
import type { CloudTrailOperations } from '../generated/types.ts'
import { validateAdvanced, validateBasic } from '../selectors.ts'
import type { CloudTrailState } from '../store.ts'
import { trailArn } from '../trail.ts'
import { checkTrailName } from './trails.ts'

export function selectorOperations(state: CloudTrailState) {
  return {
    PutEventSelectors: (input, ctx) => {
      if (!input.TrailName.startsWith('arn:')) checkTrailName(input.TrailName)
      if (input.EventSelectors !== undefined && input.AdvancedEventSelectors !== undefined) throw cloudTrailErrors.selectorsConflict()
      if (input.EventSelectors === undefined && input.AdvancedEventSelectors === undefined) {
        throw cloudTrailErrors.invalidSelectors('Either EventSelectors or AdvancedEventSelectors must be specified.')
      }
      const trail = state.requireOwn(ctx.caller.account, ctx.caller.region, input.TrailName)
      trail.selectors = input.EventSelectors !== undefined
        ? { kind: 'basic', selectors: validateBasic(input.EventSelectors) }
        : { kind: 'advanced', selectors: validateAdvanced(input.AdvancedEventSelectors!) }
      trail.custom = true
      state.save(trail)
      return {
        TrailARN: trailArn(trail),
        ...(trail.selectors.kind === 'basic' ? { EventSelectors: trail.selectors.selectors } : { AdvancedEventSelectors: trail.selectors.selectors }),
      }
    },
    GetEventSelectors: (input, ctx) => {
      if (!input.TrailName.startsWith('arn:')) checkTrailName(input.TrailName)
      const trail = state.requireOwn(ctx.caller.account, ctx.caller.region, input.TrailName)
      return {
        TrailARN: trailArn(trail),
        ...(trail.selectors.kind === 'basic' ? { EventSelectors: trail.selectors.selectors } : { AdvancedEventSelectors: trail.selectors.selectors }),
      }
    },
  } satisfies OperationTable<CloudTrailOperations>
}
