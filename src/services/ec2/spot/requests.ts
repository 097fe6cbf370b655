// Spot Instance requests: made by RequestSpotInstances, by RunInstances' InstanceMarketOptions (and
// Auto Scaling's Spot launches through the port); fulfilled when the pool's price is within the
// maximum and it has room, else left open and evaluated again at each market step; one-time or
// persistent; what becomes of them when their instance ends.
import { randomBytes } from 'node:crypto'
import { ec2Errors } from '../errors.ts'
import type { RunInstancesRequest } from '../generated/types.ts'
import type { InstanceRecord, SpotRequestRecord } from '../resources.ts'
import { runInstances, type LaunchExtras } from '../run.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { watchSpot } from './interruptions.ts'
import { formatPrice, onDemandPrice } from './market.ts'
import { checkSpotLaunch } from './pools.ts'

/** sir- and 8 lowercase letters and digits, as AWS shapes them. */
export const newSpotRequestId = (): string => `sir-${[...randomBytes(8)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('')}`

export const statusMessages: Record<string, string> = {
  'pending-evaluation': 'Your Spot request has been submitted for review, and is pending evaluation.',
  fulfilled: 'Your spot request is fulfilled.',
  'capacity-not-available': 'There is no capacity available for the instance type.',
  'canceled-before-fulfillment': 'Your Spot request was canceled before it was fulfilled.',
  'request-canceled-and-instance-running': 'Spot Instance Request canceled by user, instance still running.',
  'instance-terminated-by-user': 'Spot Instance terminated due to user-initiated termination.',
  'schedule-expired': 'Your Spot request has expired.',
}

export interface SpotTerms {
  maxPrice: string | undefined
  requestType: 'one-time' | 'persistent'
  interruptionBehavior: 'terminate' | 'stop' | 'hibernate'
}

export function setStatus(region: RegionState, request: SpotRequestRecord, code: string, message = statusMessages[code] ?? code): void {
  request.statusCode = code
  request.statusMessage = message
  request.statusTime = region.now
}

/**
 * Launches Spot instances (RunInstances' way, all or none): the pool's price must be within the
 * maximum and the pool must have room, else AWS's SpotMaxPriceTooLow / InsufficientInstanceCapacity.
 * Each instance gets its own active, fulfilled request.
 */
export function launchSpot(state: Ec2State, region: RegionState, input: RunInstancesRequest, requester: string, extras: LaunchExtras,
  terms: SpotTerms, origin: SpotRequestRecord['origin'], tag?: (request: SpotRequestRecord) => void): InstanceRecord[] {
  const { instances } = runInstances(region, input, requester, {
    ...extras, beforeLaunch: (zone, type, count) => checkSpotLaunch(state, region.region, zone, type, terms.maxPrice, count),
  })
  for (const instance of instances) {
    const request: SpotRequestRecord = {
      kind: 'sir', id: newSpotRequestId(), createTime: region.now, spotPrice: terms.maxPrice, requestType: terms.requestType,
      state: 'active', statusCode: 'fulfilled', statusMessage: statusMessages.fulfilled!, statusTime: region.now,
      launch: { ImageId: instance.imageId, InstanceType: instance.type, KeyName: instance.keyName, SubnetId: instance.subnetId,
        SecurityGroupIds: instance.groupIds, Placement: { AvailabilityZone: instance.zone }, Monitoring: { Enabled: instance.monitoring } },
      instanceId: instance.id, zone: instance.zone, interruptionBehavior: terms.interruptionBehavior, validUntil: undefined, origin, tags: [],
    }
    tag?.(request)
    region.save(request)
    instance.spot = { requestId: request.id, maxPrice: terms.maxPrice, interruptionBehavior: terms.interruptionBehavior }
    region.save(instance)
    watchSpot(state, region, instance)
  }
  return instances
}

/** The zone an open request launches in: the one asked (or its subnet's), else the pool with the lowest price now. */
function requestInput(state: Ec2State, region: RegionState, request: SpotRequestRecord): RunInstancesRequest {
  const spec = request.launch as unknown as RunInstancesRequest & { Placement?: { AvailabilityZone?: string } }
  const input: RunInstancesRequest = { ...spec, MinCount: 1, MaxCount: 1 }
  if (spec.SubnetId === undefined && spec.Placement?.AvailabilityZone === undefined && spec.NetworkInterfaces === undefined) {
    const market = state.market(region.region)
    const zones = [...region.subnets.values()].filter((s) => s.defaultForAz && region.vpcs.get(s.vpcId)?.isDefault === true).map((s) => s.zone)
    const type = spec.InstanceType ?? 'm1.small'
    const cheapest = zones.reduce<string | undefined>((best, z) =>
      best === undefined || market.price(z, type, region.now) < market.price(best, type, region.now) ? z : best, undefined)
    if (cheapest !== undefined) input.Placement = { ...spec.Placement, AvailabilityZone: cheapest }
  }
  return input
}

/** Tries to fulfil an open request now; leaves it open with the reason when it can't. */
export function fulfil(state: Ec2State, region: RegionState, request: SpotRequestRecord): void {
  if (request.state !== 'open') return
  if (request.validUntil !== undefined && region.now >= request.validUntil) {
    request.state = 'closed'
    setStatus(region, request, 'schedule-expired')
    region.save(request)
    return
  }
  try {
    const { instances } = runInstances(region, requestInput(state, region, request), region.account, {
      beforeLaunch: (zone, type, count) => checkSpotLaunch(state, region.region, zone, type, request.spotPrice, count),
    })
    const instance = instances[0]!
    instance.spot = { requestId: request.id, maxPrice: request.spotPrice, interruptionBehavior: request.interruptionBehavior }
    region.save(instance)
    request.state = 'active'
    request.instanceId = instance.id
    request.zone = instance.zone
    setStatus(region, request, 'fulfilled')
    watchSpot(state, region, instance)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'SpotMaxPriceTooLow') setStatus(region, request, 'price-too-low', (error as Error).message)
    else if (code === 'InsufficientInstanceCapacity') setStatus(region, request, 'capacity-not-available')
    else {
      // A launch specification that can't launch at all (bad AMI, subnet): AWS's bad-parameters.
      request.state = 'failed'
      setStatus(region, request, 'bad-parameters', (error as Error).message)
    }
  }
  region.save(request)
}

/** Open requests are evaluated now and again at each market step while any stay open. */
export function evaluateOpen(state: Ec2State, region: RegionState): void {
  const open = () => [...region.spotRequests.values()].filter((r) => r.state === 'open')
  for (const request of open()) fulfil(state, region, request)
  if (open().length === 0) return
  const market = state.market(region.region)
  state.setTimer(`open:${region.account}:${region.region}`, market.stepStart(region.now) + market.options.stepMs, () => evaluateOpen(state, region))
}

/** An instance stopped or began shutting down: its request (when not interrupted) closes or, persistent, opens again. */
export function spotInstanceEnded(state: Ec2State, region: RegionState, instance: InstanceRecord): void {
  const spot = instance.spot
  if (spot === undefined || spot.noticeAt !== undefined) return
  const request = region.spotRequests.get(spot.requestId)
  if (request === undefined || request.state !== 'active' || request.instanceId !== instance.id) return
  if (instance.state !== 'shutting-down') return
  setStatus(region, request, 'instance-terminated-by-user')
  if (request.requestType === 'persistent') {
    request.state = 'open'
    request.instanceId = undefined
    region.save(request)
    evaluateOpen(state, region)
  } else {
    request.state = 'closed'
    region.save(request)
  }
}

/** The price a request shows: its maximum, or the On-Demand price. */
export const shownPrice = (request: SpotRequestRecord): string =>
  request.spotPrice ?? formatPrice(onDemandPrice(String(request.launch.InstanceType ?? 'm1.small')))

/** After a start from the store: open requests are evaluated again. */
export function resumeRequests(state: Ec2State): void {
  for (const region of state.allRegions()) if ([...region.spotRequests.values()].some((r) => r.state === 'open')) evaluateOpen(state, region)
}

/** RunInstances' InstanceMarketOptions as Spot terms (undefined for On-Demand). */
export function spotTermsOf(input: RunInstancesRequest): SpotTerms | undefined {
  const market = input.InstanceMarketOptions
  if (market?.MarketType !== 'spot') return undefined
  const options = market.SpotOptions ?? {}
  const requestType = options.SpotInstanceType ?? 'one-time'
  const interruptionBehavior = options.InstanceInterruptionBehavior ?? 'terminate'
  if (interruptionBehavior !== 'terminate' && requestType !== 'persistent') {
    throw ec2Errors.invalidParameterCombination(`The instance interruption behavior '${interruptionBehavior}' is only supported for persistent requests.`)
  }
  return { maxPrice: options.MaxPrice, requestType, interruptionBehavior }
}
