// RunInstances, DescribeInstances and the state changes: Start, Stop, Reboot, Terminate, on the clock.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations, RunInstancesRequest } from '../generated/types.ts'
import { instanceFilters, instanceView, stateOf } from '../instance-view.ts'
import { startInstance, stopInstance, terminateInstance } from '../instance-actions.ts'
import { findTemplate, findVersion, mergeTemplate, templateTags } from '../launch-templates.ts'
import type { InstanceRecord } from '../resources.ts'
import { runInstances, type LaunchExtras } from '../run.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { launchSpot, spotTermsOf } from '../spot/requests.ts'
import { checkId, regionOf } from './common.ts'
import { checkHibernate } from '../hibernation.ts'
import { checkRunCredits } from '../credit-specification.ts'

/** The instances named, settled; InvalidInstanceID.Malformed/NotFound as AWS words them. */
export function namedInstances(region: RegionState, ids: readonly string[]): InstanceRecord[] {
  for (const id of ids) checkId(id, 'i', 'InvalidInstanceID.Malformed')
  const found = ids.map((id) => region.instance(id))
  const missing = ids.filter((_, k) => found[k] === undefined)
  if (missing.length > 0) throw ec2Errors.instanceNotFound(missing)
  return found as InstanceRecord[]
}

/**
 * The instances an earlier RunInstances with this ClientToken launched (still visible), or undefined;
 * a repeat naming another AMI or type is AWS's IdempotentParameterMismatch.
 */
function launchedWith(region: RegionState, input: RunInstancesRequest): InstanceRecord[] | undefined {
  const firstId = region.clientTokens.get(input.ClientToken!)
  const first = firstId === undefined ? undefined : region.instance(firstId)
  if (first === undefined) return undefined
  if ((input.ImageId !== undefined && input.ImageId !== first.imageId) || (input.InstanceType !== undefined && input.InstanceType !== first.type)) {
    throw ec2Errors.idempotentMismatch()
  }
  return [...region.instances.keys()].map((id) => region.instance(id))
    .filter((i): i is InstanceRecord => i !== undefined && i.reservationId === first.reservationId && i.clientToken === input.ClientToken)
}

type Change = { InstanceId: string; PreviousState: ReturnType<typeof stateOf>; CurrentState: ReturnType<typeof stateOf> }

/** Applies a state change to each named instance (all checked first, so a refusal changes none). */
function change(region: RegionState, ids: readonly string[], check: (i: InstanceRecord) => void, apply: (i: InstanceRecord) => void): Change[] {
  const instances = namedInstances(region, ids)
  for (const i of instances) check(i)
  return instances.map((i) => {
    const previous = stateOf(i)
    apply(i)
    region.save(i)
    return { InstanceId: i.id, PreviousState: previous, CurrentState: stateOf(i) }
  })
}

export function instanceOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    RunInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      // A repeat with the same ClientToken launches nothing: it answers the first launch's reservation.
      const repeated = input.ClientToken === undefined || input.ClientToken === '' ? undefined : launchedWith(region, input)
      if (repeated !== undefined) {
        return { ReservationId: repeated[0]!.reservationId, OwnerId: region.account, Groups: [], Instances: repeated.map((i) => instanceView(region, i)) }
      }
      let request = input
      let extras: LaunchExtras = {}
      if (input.LaunchTemplate !== undefined) {
        // The template version's data lies under the request's own parameters; the instances carry its aws: tags.
        const template = findTemplate(region, input.LaunchTemplate)
        const version = findVersion(template, input.LaunchTemplate.Version)
        request = mergeTemplate(input, version.data)
        extras = { launchTemplate: { id: template.id, version: version.number }, systemTags: templateTags(template.id, version.number) }
      }
      checkRunCredits(request.InstanceType, request.CreditSpecification)
      // InstanceMarketOptions spot: Spot instances, each with its own one-time (or persistent) request.
      const terms = spotTermsOf(request)
      const instances = terms === undefined ? runInstances(region, request, ctx.caller.account, extras).instances
        : launchSpot(state, region, request, ctx.caller.account, extras, terms, 'run-instances')
      return {
        ReservationId: instances[0]!.reservationId, OwnerId: region.account, Groups: [],
        Instances: instances.map((i) => instanceView(region, i)),
      }
    },

    DescribeInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      if (input.MaxResults !== undefined && input.InstanceIds !== undefined && input.InstanceIds.length > 0) {
        throw ec2Errors.invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults')
      }
      const match = compileFilters(input.Filters, instanceFilters(region))
      const all = input.InstanceIds !== undefined && input.InstanceIds.length > 0
        ? namedInstances(region, input.InstanceIds) : region.allInstances()
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      // Instances are grouped by the reservation that launched them, in launch order.
      const reservations = new Map<string, InstanceRecord[]>()
      for (const i of page.items) {
        const list = reservations.get(i.reservationId)
        if (list === undefined) reservations.set(i.reservationId, [i])
        else list.push(i)
      }
      return {
        Reservations: [...reservations].map(([id, list]) => ({
          ReservationId: id, OwnerId: region.account, Groups: [], Instances: list.map((i) => instanceView(region, i)),
        })),
        NextToken: page.nextToken,
      }
    },

    StartInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      return {
        StartingInstances: change(region, input.InstanceIds, (i) => {
          if (i.state === 'terminated' || i.state === 'shutting-down' || i.state === 'stopping') throw ec2Errors.incorrectState(i.id, 'started')
        }, (i) => startInstance(region, i)),
      }
    },

    StopInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      return {
        StoppingInstances: change(region, input.InstanceIds, (i) => {
          if (i.state === 'pending') throw ec2Errors.neverRan(i.id)
          if (i.disableApiStop === true && (i.state === 'running' || i.state === 'stopping')) throw ec2Errors.stopProtected(i.id)
          if (i.state === 'terminated' || i.state === 'shutting-down') throw ec2Errors.incorrectState(i.id, 'stopped')
          if (input.Hibernate === true) checkHibernate(i)
        }, (i) => {
          stopInstance(region, i)
          if (input.Hibernate === true && i.state === 'stopping') i.stateReason = 'Client.UserInitiatedHibernate'
        }),
      }
    },

    RebootInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      // A reboot keeps the instance running (its state never shows the restart).
      change(region, input.InstanceIds, (i) => {
        if (i.state !== 'running' && i.state !== 'pending') throw ec2Errors.incorrectState(i.id, 'rebooted')
      }, () => {})
    },

    TerminateInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      return {
        TerminatingInstances: change(region, input.InstanceIds, (i) => {
          if (i.disableApiTermination && i.state !== 'terminated') throw ec2Errors.terminationProtected(i.id)
        }, (i) => terminateInstance(region, i)),
      }
    },
  }
}

