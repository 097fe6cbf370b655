// EC2: regions and zones, default and custom VPCs, subnets, security groups, tags and filters,
// the AMI and instance-type catalogs, instances on the clock, Elastic IPs, and simulation hooks.
import type { Clock } from '../../core/clock.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { ec2Console } from './console.ts'
import { ec2Descriptor } from './descriptor.ts'
import { Ec2Rows } from './ec2-rows.ts'
import { ec2Errors } from './errors.ts'
import { model } from './generated/model.ts'
import type { Ec2Operations } from './generated/types.ts'
import { ec2Hooks } from './hooks.ts'
import type { StateTimings } from './instance-state.ts'
import { createEc2Port } from './internal.ts'
import { addressOperations } from './operations/addresses.ts'
import { imageOperations } from './operations/images.ts'
import { ownImageOperations } from './operations/own-images.ts'
import { monitoringOperations } from './operations/monitoring.ts'
import { offeringOperations } from './operations/offerings.ts'
import { instanceStatusOperations } from './operations/instance-status.ts'
import { instanceOperations } from './operations/instances.ts'
import { instanceMetadataOperations } from './operations/instance-metadata.ts'
import { instanceAttributeOperations } from './operations/instance-attributes.ts'
import { passwordDataOperations } from './operations/password-data.ts'
import { creditSpecificationOperations } from './operations/credit-specifications.ts'
import { iamAssociationOperations } from './operations/iam-associations.ts'
import { keyPairOperations } from './operations/key-pairs.ts'
import { launchTemplateOperations } from './operations/launch-templates.ts'
import { launchTemplateDataOperations } from './operations/launch-template-data.ts'
import { spotOperations } from './operations/spot.ts'
import { fleetOperations } from './operations/fleets.ts'
import { spotFleetOperations } from './operations/spot-fleets.ts'
import { fleetInstanceEnded, fleetInstanceRebalanced, resumeFleets } from './fleet/engine.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import { resumeSpot } from './spot/interruptions.ts'
import type { MarketOptions } from './spot/market.ts'
import { resumeRequests, spotInstanceEnded } from './spot/requests.ts'
import { volumeOperations } from './operations/volumes.ts'
import { volumeModificationOperations } from './operations/volume-modifications.ts'
import { snapshotOperations } from './operations/snapshots.ts'
import { placementGroupOperations } from './operations/placement-groups.ts'
import { networkOperations } from './operations/network.ts'
import { securityGroupOperations } from './operations/security-groups.ts'
import { tagOperations } from './operations/tags.ts'
import { routeTableOperations } from './operations/route-tables.ts'
import { internetGatewayOperations } from './operations/internet-gateways.ts'
import { networkAclOperations } from './operations/network-acls.ts'
import { networkInterfaceOperations } from './operations/network-interfaces.ts'
import { natGatewayOperations } from './operations/nat-gateways.ts'
import type { Ec2Port } from './port.ts'
import { Ec2State } from './store.ts'
import { seededIds } from './ids.ts'
import { isProcessBacked, ProcessHost, type ProcessHostDeps } from './processes/host.ts'

export interface Ec2Deps {
  clock: Clock
  /** With a data dir, every resource is a row (read back here at start); else in memory. */
  persistence?: Persistence
  /** Boot, stop and termination times and how long terminated instances stay visible (instance-state.ts). */
  timings?: Partial<StateTimings>
  /**
   * Told when an instance changes (its AWS/EC2 series may have): CloudWatch re-plans its alarms.
   * `dimensions`: the only series that can have changed (its InstanceId and AutoScalingGroupName ones).
   */
  instanceChanged?: (account: string, region: string, instanceId: string, dimensions: { Name: string; Value: string }[]) => void
  /** Spot events reach EventBridge's default bus through it. */
  fabric?: Fabric
  /** The Spot market's seed and step (spot/market.ts). */
  spotMarket?: Partial<MarketOptions>
  /** With it, the ids a launch makes (instance, reservation, interface, volume) follow from it and a counter, not chance. */
  idSeed?: string
  /** Process-backed instances (tag `nimbus:process`): where their files go, Nimbus's URL, the log; without it none runs. */
  processes?: Omit<ProcessHostDeps, 'clock'>
  /** IAM's instance profiles (RunInstances' IamInstanceProfile must name one). */
  instanceProfiles?: Ec2State['instanceProfiles']
  /** Every account's running On-Demand Standard vCPU quota (VcpuLimitExceeded past it); default none (capacity.ts). */
  vcpuLimit?: number
}

export function createEc2(deps: Ec2Deps): { definition: ServiceDefinition; port: Ec2Port; state: Ec2State } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new Ec2State(deps.clock, durable === undefined ? undefined : new Ec2Rows(durable), deps.timings, deps.spotMarket)
  state.onInstanceChanged = deps.instanceChanged
  if (deps.idSeed !== undefined) state.launchIds = seededIds(deps.idSeed)
  state.vcpuLimit = deps.vcpuLimit
  state.fabric = deps.fabric
  state.instanceEnded = (region, instance) => {
    spotInstanceEnded(state, region, instance)
    fleetInstanceEnded(state, region, instance)
  }
  state.spotRebalanced = (region, instance) => fleetInstanceRebalanced(state, region, instance)
  state.instanceProfiles = deps.instanceProfiles
  const processes = deps.processes === undefined ? undefined : new ProcessHost(state, { clock: deps.clock, ...deps.processes })
  state.processes = processes
  // Process-backed instances running when Nimbus stopped get their metadata service back (their user data ran already).
  // Only tagged instances are settled here: start-up doesn't walk every instance of a large data dir.
  if (processes !== undefined) {
    for (const region of state.allRegions()) {
      for (const record of [...region.instances.values()].filter(isProcessBacked)) {
        const i = region.instance(record.id)
        if (i !== undefined) processes.saved(region, i)
      }
    }
  }
  // Restored Spot instances are watched again; pending notices and open requests resume on the clock.
  resumeSpot(state)
  resumeRequests(state)
  resumeFleets(state)
  const operations = {
    ...networkOperations(state),
    ...securityGroupOperations(state),
    ...tagOperations(state),
    ...imageOperations(state),
    ...ownImageOperations(state),
    ...offeringOperations(state),
    ...monitoringOperations(state),
    ...instanceOperations(state),
    ...instanceStatusOperations(state),
    ...instanceMetadataOperations(state),
    ...instanceAttributeOperations(state),
    ...passwordDataOperations(state),
    ...creditSpecificationOperations(state),
    ...iamAssociationOperations(state),
    ...addressOperations(state),
    ...keyPairOperations(state),
    ...volumeOperations(state),
    ...volumeModificationOperations(state),
    ...snapshotOperations(state),
    ...placementGroupOperations(state),
    ...launchTemplateOperations(state),
    ...launchTemplateDataOperations(state),
    ...spotOperations(state),
    ...fleetOperations(state),
    ...spotFleetOperations(state),
    ...routeTableOperations(state),
    ...internetGatewayOperations(state),
    ...networkAclOperations(state),
    ...networkInterfaceOperations(state),
    ...natGatewayOperations(state),
  } satisfies OperationTable<Ec2Operations>

  const definition = defineService({
    name: ec2Descriptor.name,
    signingName: ec2Descriptor.signingName,
    model: new ServiceModel(model),
    protocols: ec2Descriptor.protocols,
    operations,
    errors: { missingParameter: ec2Errors.missingParameter },
    reset: () => {
      processes?.closeAll()
      state.reset()
    },
    stop: () => {
      processes?.closeAll()
      if (durable === undefined) state.reset()
    },
    console: ec2Console(state),
    health: () => ({ status: 'running', instances: state.instanceIndex.size }),
    internalRoutes: (request, path) => ec2Hooks(state, request, path),
  })
  return { definition, port: createEc2Port(state), state }
}
