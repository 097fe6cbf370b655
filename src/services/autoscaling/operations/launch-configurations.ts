// CreateLaunchConfiguration, DescribeLaunchConfigurations, DeleteLaunchConfiguration.
import type { OperationTable } from '../../service.ts'
import { autoScalingErrors } from '../errors.ts'
import type { AutoScalingOperations, LaunchConfiguration as LaunchConfigurationShape } from '../generated/types.ts'
import type { LaunchConfiguration } from '../group.ts'
import { deterministicUuid } from '../ids.ts'
import type { AutoScalingState } from '../store.ts'
import { checkName, page } from './common.ts'

function view(c: LaunchConfiguration): LaunchConfigurationShape {
  return {
    LaunchConfigurationName: c.name, LaunchConfigurationARN: c.arn, ImageId: c.imageId,
    ...(c.keyName !== undefined && { KeyName: c.keyName }),
    SecurityGroups: [...c.securityGroups], ClassicLinkVPCSecurityGroups: [],
    ...(c.userData !== undefined && { UserData: c.userData }),
    InstanceType: c.instanceType, KernelId: '', RamdiskId: '',
    BlockDeviceMappings: (c.blockDeviceMappings ?? []) as LaunchConfigurationShape['BlockDeviceMappings'],
    InstanceMonitoring: { Enabled: c.instanceMonitoring },
    ...(c.spotPrice !== undefined && { SpotPrice: c.spotPrice }),
    ...(c.iamInstanceProfile !== undefined && { IamInstanceProfile: c.iamInstanceProfile }),
    CreatedTime: new Date(c.createdTime), EbsOptimized: c.ebsOptimized,
    ...(c.associatePublicIpAddress !== undefined && { AssociatePublicIpAddress: c.associatePublicIpAddress }),
    ...(c.placementTenancy !== undefined && { PlacementTenancy: c.placementTenancy }),
    ...(c.metadataOptions !== undefined && { MetadataOptions: c.metadataOptions as LaunchConfigurationShape['MetadataOptions'] }),
  }
}

export function launchConfigurationOperations(state: AutoScalingState): OperationTable<AutoScalingOperations> {
  return {
    CreateLaunchConfiguration: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      checkName(input.LaunchConfigurationName, 'launchConfigurationName')
      if (region.launchConfigurations.has(input.LaunchConfigurationName)) throw autoScalingErrors.launchConfigurationExists(input.LaunchConfigurationName)
      // Without InstanceId (not supported: Gaps), AWS needs both.
      if (input.ImageId === undefined) throw autoScalingErrors.validation('Valid requests must contain either the ImageId or the InstanceId parameter.')
      if (input.InstanceType === undefined) throw autoScalingErrors.validation('Valid requests must contain either the InstanceType or the InstanceId parameter.')
      const now = state.clock.now()
      const { account, region: name } = region
      const config: LaunchConfiguration = {
        account, region: name, name: input.LaunchConfigurationName, createdTime: now,
        arn: `arn:aws:autoscaling:${name}:${account}:launchConfiguration:${deterministicUuid(`${account}/${name}/lc/${input.LaunchConfigurationName}/${now}`)}:launchConfigurationName/${input.LaunchConfigurationName}`,
        imageId: input.ImageId, instanceType: input.InstanceType, securityGroups: [...(input.SecurityGroups ?? [])],
        ...(input.KeyName !== undefined && { keyName: input.KeyName }),
        ...(input.UserData !== undefined && { userData: input.UserData }),
        // AWS's default is detailed monitoring on for launch configurations.
        instanceMonitoring: input.InstanceMonitoring?.Enabled ?? true,
        ...(input.SpotPrice !== undefined && { spotPrice: input.SpotPrice }),
        ...(input.IamInstanceProfile !== undefined && { iamInstanceProfile: input.IamInstanceProfile }),
        ebsOptimized: input.EbsOptimized === true,
        ...(input.AssociatePublicIpAddress !== undefined && { associatePublicIpAddress: input.AssociatePublicIpAddress }),
        ...(input.BlockDeviceMappings !== undefined && { blockDeviceMappings: input.BlockDeviceMappings }),
        ...(input.MetadataOptions !== undefined && { metadataOptions: input.MetadataOptions }),
        ...(input.PlacementTenancy !== undefined && { placementTenancy: input.PlacementTenancy }),
      }
      region.launchConfigurations.set(config.name, config)
      state.rows?.launchConfiguration(config)
    },

    DescribeLaunchConfigurations: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const names = input.LaunchConfigurationNames ?? []
      const all = [...region.launchConfigurations.values()].filter((c) => names.length === 0 || names.includes(c.name))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      const { items, nextToken } = page('lc', all, input.NextToken, input.MaxRecords)
      return { LaunchConfigurations: items.map(view), ...(nextToken !== undefined && { NextToken: nextToken }) }
    },

    DeleteLaunchConfiguration: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const config = region.launchConfigurations.get(input.LaunchConfigurationName)
      if (config === undefined) throw autoScalingErrors.launchConfigurationNotFound(input.LaunchConfigurationName)
      if ([...region.groups.values()].some((g) => g.launchConfigurationName === config.name)) throw autoScalingErrors.launchConfigurationInUse(config.name)
      region.launchConfigurations.delete(config.name)
      state.rows?.launchConfigurationGone(config)
    },
  }
}
