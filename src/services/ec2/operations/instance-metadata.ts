// ModifyInstanceMetadataOptions (an instance's IMDS settings: 'pending' until applied on the clock,
// enforced at once by a process-backed instance's IMDS) and the account's defaults per region
// (Modify/GetInstanceMetadataDefaults), which later launches take where the request sets nothing.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import type { Ec2Operations } from '../generated/types.ts'
import {
  checkHopLimit, metadataDefaults, metadataView, optionsOf, pick, requestedOptions, saveMetadataDefaults, type MetadataDefaults,
} from '../metadata-options.ts'
import type { Ec2State } from '../store.ts'
import { regionOf } from './common.ts'
import { namedInstances } from './instances.ts'

/** An account default: a value, 'no-preference' (cleared) or undefined (left as it is). */
function setDefault<K extends keyof MetadataDefaults>(defaults: MetadataDefaults, key: K, value: MetadataDefaults[K] | 'no-preference' | -1 | undefined): void {
  if (value === undefined) return
  if (value === 'no-preference' || value === -1) delete defaults[key]
  else defaults[key] = value as MetadataDefaults[K]
}

export function instanceMetadataOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    ModifyInstanceMetadataOptions: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const [instance] = namedInstances(region, [input.InstanceId])
      const i = instance!
      if (i.state === 'terminated' || i.state === 'shutting-down') throw ec2Errors.incorrectStateAssociate(i.id, i.state)
      const requested = requestedOptions(input)
      pick('HttpProtocolIpv6', input.HttpProtocolIpv6, ['enabled', 'disabled'] as const)
      // Members not named keep their values; the change is 'pending' until applied on the running instance.
      i.metadataOptions = { ...optionsOf(i), ...requested }
      i.metadataChangedAt = region.now
      region.save(i)
      return { InstanceId: i.id, InstanceMetadataOptions: metadataView(i, region.now) }
    },

    ModifyInstanceMetadataDefaults: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const defaults = metadataDefaults(region)
      const choice = ['enabled', 'disabled', 'no-preference'] as const
      const tokens = pick('HttpTokens', input.HttpTokens, ['optional', 'required', 'no-preference'] as const)
      const endpoint = pick('HttpEndpoint', input.HttpEndpoint, choice)
      const tags = pick('InstanceMetadataTags', input.InstanceMetadataTags, choice)
      const enforced = pick('HttpTokensEnforced', input.HttpTokensEnforced, choice)
      const hopLimit = checkHopLimit(input.HttpPutResponseHopLimit, true)
      setDefault(defaults, 'httpTokens', tokens)
      setDefault(defaults, 'httpEndpoint', endpoint)
      setDefault(defaults, 'instanceMetadataTags', tags)
      setDefault(defaults, 'httpTokensEnforced', enforced)
      setDefault(defaults, 'hopLimit', hopLimit)
      saveMetadataDefaults(region, defaults)
      return { Return: true }
    },

    GetInstanceMetadataDefaults: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const d = metadataDefaults(region)
      return {
        AccountLevel: {
          HttpTokens: d.httpTokens, HttpPutResponseHopLimit: d.hopLimit, HttpEndpoint: d.httpEndpoint,
          InstanceMetadataTags: d.instanceMetadataTags, HttpTokensEnforced: d.httpTokensEnforced,
        },
      }
    },
  }
}
