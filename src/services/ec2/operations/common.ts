// What every EC2 operation shares: DryRun, the caller's region state, id checks, tags in and out.
import type { OperationContext } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { isWellFormedId } from '../ids.ts'
import type { Tag } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'

/** The caller's region, after DryRun: AWS answers a permitted dry run with DryRunOperation (412). */
export function regionOf(state: Ec2State, input: { DryRun?: boolean }, ctx: OperationContext): RegionState {
  if (input.DryRun === true) throw ec2Errors.dryRun()
  return state.region(ctx.caller.account, ctx.caller.region)
}

/** Checks an id's shape: AWS answers `<code>` ("InvalidInstanceID.Malformed") for one that can't be an id. */
export function checkId(id: string, prefix: string, code: string): void {
  if (!isWellFormedId(id, prefix)) throw ec2Errors.malformed(code, id, prefix)
}

/** Tags as AWS returns them: undefined for none, so the element is left out. */
export const tagsOut = (tags: readonly Tag[]): Tag[] | undefined => (tags.length === 0 ? undefined : tags.map((t) => ({ ...t })))

export interface TagInput {
  Key?: string
  Value?: string
}

/** Sets tags on a record (a key already there takes the new value); AWS allows 50 per resource. */
export function applyTags(record: { id: string; tags: Tag[] }, tags: readonly TagInput[] | undefined): void {
  for (const tag of tags ?? []) {
    const key = tag.Key ?? ''
    if (key === '') throw ec2Errors.invalidParameterValue('Tag key cannot be null or empty')
    if (key.toLowerCase().startsWith('aws:')) throw ec2Errors.invalidParameterValue('Tag keys starting with \'aws:\' are reserved for internal use')
    const existing = record.tags.find((t) => t.Key === key)
    if (existing !== undefined) existing.Value = tag.Value ?? ''
    else record.tags.push({ Key: key, Value: tag.Value ?? '' })
  }
  if (record.tags.length > 50) throw ec2Errors.tagLimit(record.id)
}

/** The tags a TagSpecifications list gives one resource type. */
export function specTags(specs: readonly { ResourceType?: string; Tags?: TagInput[] }[] | undefined, type: string): TagInput[] {
  return (specs ?? []).filter((s) => s.ResourceType === type).flatMap((s) => s.Tags ?? [])
}

export const bool = (b: boolean): string => (b ? 'true' : 'false')
