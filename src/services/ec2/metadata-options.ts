// An instance's metadata options (MetadataOptions): what RunInstances gives it (the request over the
// account's defaults), ModifyInstanceMetadataOptions' changes — `pending` in DescribeInstances until
// applied on the running instance, as AWS shows them — and the account-level defaults per region
// (Modify/GetInstanceMetadataDefaults), kept as a row like the other account settings.
import { ec2Errors } from './errors.ts'
import { metricLog } from './metric-log.ts'
import type { InstanceRecord, LimitRecord } from './resources.ts'
import type { RegionState } from './store.ts'

type Options = NonNullable<InstanceRecord['metadataOptions']>

/** A change is applied this long after it was made on a running instance (or once a stopped one is running again). */
export const metadataApplyMs = 2_000

/** Nimbus's defaults when neither the launch nor the account sets a member (the catalog's AMIs are IMDSv2-only, as AL2023's). */
const builtIn: Options = { httpTokens: 'required', httpEndpoint: 'enabled', instanceMetadataTags: 'disabled', hopLimit: 2 }

/** The account's defaults (ModifyInstanceMetadataDefaults), member by member; `no-preference` is no member. */
export type MetadataDefaults = Partial<Options> & { httpTokensEnforced?: 'enabled' | 'disabled' }

const defaultsId = 'imds-defaults'

export function metadataDefaults(region: RegionState): MetadataDefaults {
  return { ...(region.limits.get(defaultsId)?.settings as MetadataDefaults | undefined) }
}

export function saveMetadataDefaults(region: RegionState, defaults: MetadataDefaults): void {
  const record: LimitRecord = { kind: 'limit', id: defaultsId, value: 0, settings: { ...defaults }, tags: [] }
  region.save(record)
}

export interface MetadataOptionsRequest {
  HttpTokens?: string
  HttpEndpoint?: string
  InstanceMetadataTags?: string
  HttpPutResponseHopLimit?: number
}

/** One member checked against its allowed values ([R] wording, as AWS's other enum checks read). */
export function pick<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) {
    throw ec2Errors.invalidParameterValue(`Value (${value}) for parameter ${name} is invalid. Valid values are: ${allowed.join(', ')}.`)
  }
  return value as T
}

/** Checks HttpPutResponseHopLimit (1–64; `noPreference` also allows -1, the account defaults' "no preference"). */
export function checkHopLimit(value: number | undefined, noPreference = false): number | undefined {
  if (value === undefined || (noPreference && value === -1)) return value
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    throw ec2Errors.invalidParameterValue(`Value (${value}) for parameter HttpPutResponseHopLimit is invalid. The value must be between 1 and 64.`)
  }
  return value
}

/** The members a request sets, checked (undefined members are left as they are). */
export function requestedOptions(asked: MetadataOptionsRequest | undefined): Partial<Options> {
  if (asked === undefined) return {}
  const out: Partial<Options> = {}
  const tokens = pick('HttpTokens', asked.HttpTokens, ['optional', 'required'] as const)
  const endpoint = pick('HttpEndpoint', asked.HttpEndpoint, ['enabled', 'disabled'] as const)
  const tags = pick('InstanceMetadataTags', asked.InstanceMetadataTags, ['enabled', 'disabled'] as const)
  const hopLimit = checkHopLimit(asked.HttpPutResponseHopLimit)
  if (tokens !== undefined) out.httpTokens = tokens
  if (endpoint !== undefined) out.httpEndpoint = endpoint
  if (tags !== undefined) out.instanceMetadataTags = tags
  if (hopLimit !== undefined) out.hopLimit = hopLimit
  return out
}

/** A launch's options: the request's members over the account's defaults over Nimbus's; undefined when neither sets any. */
export function launchOptions(region: RegionState, asked: MetadataOptionsRequest | undefined): Options | undefined {
  const requested = requestedOptions(asked)
  const { httpTokensEnforced: _, ...defaults } = metadataDefaults(region)
  if (asked === undefined && Object.keys(defaults).length === 0) return undefined
  return { ...builtIn, ...defaults, ...requested }
}

/** The options in force (AWS's defaults when none were stored). */
export const optionsOf = (i: InstanceRecord): Options => i.metadataOptions ?? builtIn

/**
 * 'pending' until the last change (or the launch) is applied: `metadataApplyMs` after it, at a moment
 * the instance is running (a stopped instance's change is applied when it next runs, as AWS documents).
 */
export function metadataState(i: InstanceRecord, now: number): 'pending' | 'applied' {
  // Never modified: the launch's options, applied once it first runs (RunInstances answers 'pending').
  const changed = i.metadataChangedAt ?? i.launchTime
  const earliest = changed + metadataApplyMs
  for (const run of metricLog(i).runs) {
    const at = Math.max(run.from, earliest)
    if (run.to === undefined || at < run.to) return at <= now ? 'applied' : 'pending'
  }
  // No run logged (a record from before run logs existed, or one that never ran): as the state says.
  return i.metadataChangedAt === undefined && i.state !== 'pending' ? 'applied' : 'pending'
}

/** The instance's MetadataOptions as DescribeInstances and ModifyInstanceMetadataOptions show them. */
export function metadataView(i: InstanceRecord, now: number) {
  const o = optionsOf(i)
  return {
    State: metadataState(i, now), HttpTokens: o.httpTokens, HttpPutResponseHopLimit: o.hopLimit, HttpEndpoint: o.httpEndpoint,
    HttpProtocolIpv6: 'disabled' as const, InstanceMetadataTags: o.instanceMetadataTags,
  }
}
