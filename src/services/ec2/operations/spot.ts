// The Spot market and Spot Instance requests: DescribeSpotPriceHistory (from the seeded market),
// RequestSpotInstances, DescribeSpotInstanceRequests, CancelSpotInstanceRequests.
import type { OperationTable } from '../../service.ts'
import { instanceTypes } from '../catalog.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate, type FilterTable } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { zonesOf } from '../regions.ts'
import type { SpotRequestRecord } from '../resources.ts'
import { formatPrice } from '../spot/market.ts'
import { evaluateOpen, newSpotRequestId, setStatus, shownPrice, statusMessages } from '../spot/requests.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, regionOf, specTags, tagsOut } from './common.ts'

const linux = 'Linux/UNIX'
const products = [linux, 'Linux/UNIX (Amazon VPC)']
/** One-time requests are valid for 7 days unless ValidUntil says otherwise (AWS's default). */
const defaultValidityMs = 7 * 86_400_000

interface PriceRow { zone: string; type: string; product: string; price: number; at: number; tags: [] }

const priceFilters: FilterTable<PriceRow> = {
  'availability-zone': (r) => [r.zone], 'instance-type': (r) => [r.type], 'product-description': (r) => [r.product],
  'spot-price': (r) => [formatPrice(r.price)], timestamp: (r) => [new Date(r.at).toISOString()],
}

const requestFilters: FilterTable<SpotRequestRecord> = {
  'spot-instance-request-id': (r) => [r.id], state: (r) => [r.state], 'status-code': (r) => [r.statusCode],
  'status-message': (r) => [r.statusMessage], 'instance-id': (r) => [r.instanceId], type: (r) => [r.requestType],
  'launched-availability-zone': (r) => [r.zone], 'spot-price': (r) => [shownPrice(r)], 'product-description': () => [linux],
  'launch.instance-type': (r) => [r.launch.InstanceType as string | undefined], 'launch.image-id': (r) => [r.launch.ImageId as string | undefined],
  'launch.key-name': (r) => [r.launch.KeyName as string | undefined], 'create-time': (r) => [new Date(r.createTime).toISOString()],
}

export function requestView(region: RegionState, r: SpotRequestRecord) {
  const launch = r.launch as { ImageId?: string; InstanceType?: string; KeyName?: string; SubnetId?: string; UserData?: string;
    SecurityGroupIds?: string[]; Placement?: { AvailabilityZone?: string }; Monitoring?: { Enabled?: boolean } }
  return {
    SpotInstanceRequestId: r.id, SpotPrice: shownPrice(r), Type: r.requestType, State: r.state,
    Status: { Code: r.statusCode, Message: r.statusMessage, UpdateTime: new Date(r.statusTime) },
    CreateTime: new Date(r.createTime), ValidUntil: r.validUntil === undefined ? undefined : new Date(r.validUntil),
    ProductDescription: linux as 'Linux/UNIX', InstanceId: r.instanceId, LaunchedAvailabilityZone: r.zone,
    InstanceInterruptionBehavior: r.interruptionBehavior, Tags: tagsOut(r.tags),
    LaunchSpecification: {
      ImageId: launch.ImageId, InstanceType: launch.InstanceType as 't3.micro', KeyName: launch.KeyName, SubnetId: launch.SubnetId,
      UserData: launch.UserData, Placement: launch.Placement, Monitoring: { Enabled: launch.Monitoring?.Enabled === true },
      SecurityGroups: (launch.SecurityGroupIds ?? []).map((id) => ({ GroupId: id, GroupName: region.groups.get(id)?.name })),
    },
  }
}

/** A request by id: sir- and 8 letters or digits, else InvalidSpotInstanceRequestID.Malformed; unknown: .NotFound. */
export function namedRequest(region: RegionState, id: string): SpotRequestRecord {
  if (!/^sir-[0-9a-z]{8}$/.test(id)) throw ec2Errors.spotRequestMalformed(id)
  const request = region.spotRequests.get(id)
  if (request === undefined) throw ec2Errors.spotRequestNotFound(id)
  return request
}

export function spotOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    DescribeSpotPriceHistory: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const market = state.market(region.region)
      const now = region.now
      // Without StartTime/EndTime Nimbus answers the prices in effect now (AWS's default reaches back further).
      const end = Math.min(input.EndTime?.getTime() ?? now, now)
      const start = Math.min(input.StartTime?.getTime() ?? end, end)
      const zones = input.AvailabilityZone !== undefined ? [input.AvailabilityZone] : zonesOf(region.region).map((z) => z.name)
      const types = input.InstanceTypes !== undefined && input.InstanceTypes.length > 0 ? input.InstanceTypes : instanceTypes.map((t) => t.type)
      const wanted = input.ProductDescriptions !== undefined && input.ProductDescriptions.length > 0 ? input.ProductDescriptions : [linux]
      const rows: PriceRow[] = []
      for (const product of wanted.filter((p) => products.includes(p))) {
        for (const type of types) {
          for (const zone of zones) {
            for (const at of market.changes(zone, type, start, end)) rows.push({ zone, type, product, price: market.price(zone, type, at), at, tags: [] })
          }
        }
      }
      // Newest first, as AWS lists them; the entry at StartTime carries the price then in effect.
      rows.sort((a, b) => b.at - a.at)
      const page = paginate(rows.filter(compileFilters(input.Filters, priceFilters)), input.MaxResults, input.NextToken)
      return {
        SpotPriceHistory: page.items.map((r) => ({ AvailabilityZone: r.zone, InstanceType: r.type as 't3.micro',
          ProductDescription: r.product as 'Linux/UNIX', SpotPrice: formatPrice(r.price), Timestamp: new Date(r.at) })),
        NextToken: page.nextToken,
      }
    },

    RequestSpotInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const spec = input.LaunchSpecification
      if (spec?.ImageId === undefined) throw ec2Errors.missingParameter('LaunchSpecification.ImageId')
      const count = input.InstanceCount ?? 1
      if (!Number.isInteger(count) || count < 1) throw ec2Errors.invalidParameterValue(`Value (${count}) for parameter instanceCount is invalid. Expected a value greater than 0.`)
      if (input.SpotPrice !== undefined && !(Number(input.SpotPrice) > 0)) throw ec2Errors.invalidParameterValue(`Invalid value '${input.SpotPrice}' for price.`)
      const requestType = input.Type ?? 'one-time'
      const behavior = input.InstanceInterruptionBehavior ?? 'terminate'
      if (behavior !== 'terminate' && requestType !== 'persistent') {
        throw ec2Errors.invalidParameterCombination(`The instance interruption behavior '${behavior}' is only supported for persistent requests.`)
      }
      const { SecurityGroups, ...rest } = spec
      const launch: Record<string, unknown> = { ...rest }
      // Group names become ids now (the view lists them by id and name).
      if (SecurityGroups !== undefined && SecurityGroups.length > 0) {
        const vpc = region.defaultVpc()!.id
        launch.SecurityGroupIds = [...(spec.SecurityGroupIds ?? []), ...SecurityGroups.map((name) => {
          const group = [...region.groups.values()].find((g) => g.vpcId === vpc && g.name === name)
          if (group === undefined) throw ec2Errors.groupNameNotFound(name, vpc)
          return group.id
        })]
      }
      const validUntil = input.ValidUntil?.getTime() ?? (requestType === 'one-time' ? region.now + defaultValidityMs : undefined)
      const made = Array.from({ length: count }, () => {
        const request: SpotRequestRecord = {
          kind: 'sir', id: newSpotRequestId(), createTime: region.now, spotPrice: input.SpotPrice, requestType, state: 'open',
          statusCode: 'pending-evaluation', statusMessage: statusMessages['pending-evaluation']!, statusTime: region.now,
          launch, instanceId: undefined, zone: undefined, interruptionBehavior: behavior, validUntil, origin: 'request', tags: [],
        }
        applyTags(request, specTags(input.TagSpecifications, 'spot-instances-request'))
        region.save(request)
        return request
      })
      // The answer shows the requests as submitted; they are evaluated (and fulfilled when they can be) at once.
      const answer = made.map((r) => requestView(region, r))
      evaluateOpen(state, region)
      return { SpotInstanceRequests: answer }
    },

    DescribeSpotInstanceRequests: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const ids = input.SpotInstanceRequestIds ?? []
      const all = ids.length > 0 ? ids.map((id) => namedRequest(region, id)) : [...region.spotRequests.values()]
      const page = paginate(all.filter(compileFilters(input.Filters, requestFilters)), input.MaxResults, input.NextToken)
      return { SpotInstanceRequests: page.items.map((r) => requestView(region, r)), NextToken: page.nextToken }
    },

    CancelSpotInstanceRequests: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const requests = input.SpotInstanceRequestIds.map((id) => namedRequest(region, id))
      return {
        CancelledSpotInstanceRequests: requests.map((r) => {
          // Cancelling leaves a running instance running (AWS: request-canceled-and-instance-running).
          if (r.state === 'open' || r.state === 'active' || r.state === 'disabled') {
            setStatus(region, r, r.instanceId !== undefined && r.state !== 'open' ? 'request-canceled-and-instance-running' : 'canceled-before-fulfillment')
            r.state = 'cancelled'
            region.save(r)
          }
          return { SpotInstanceRequestId: r.id, State: r.state as 'cancelled' }
        }),
      }
    },
  }
}
