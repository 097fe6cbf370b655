// What a process-backed instance's metadata service (runtime/imds-server.ts) answers: the
// categories AWS documents under /latest/meta-data, /latest/dynamic and /latest/user-data, built
// from the instance as it is at the moment of the request (its public IP follows an Elastic IP, a
// Spot notice or Auto Scaling's target lifecycle state appear when they exist).
import type { MetadataAnswer } from '../../../runtime/imds-server.ts'
import { zonesOf } from '../regions.ts'
import { liveProfile } from '../iam-associations.ts'
import { publicIpOf } from '../instance-view.ts'
import type { InstanceRecord } from '../resources.ts'
import type { RegionState } from '../store.ts'

/** A category: a value, or a listing of sub-categories. Absent entries are 404s. */
type Node = string | { [name: string]: Node | undefined }

export interface MetadataExtras {
  /** Temporary credentials for the instance profile's role (JSON as AWS's IMDS writes it), if it has one. */
  credentials?: () => string | undefined
  /** Auto Scaling's target lifecycle state for the instance (InService, Terminated…), if it is in a group. */
  lifecycleState?: () => string | undefined
  /** Epoch ms now (the clock). */
  now: () => number
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

function tree(region: RegionState, i: InstanceRecord, extras: MetadataExtras): Node {
  const publicIp = publicIpOf(region, i)
  const domain = region.region === 'us-east-1' ? 'ec2.internal' : `${region.region}.compute.internal`
  const hostname = `ip-${i.privateIp.replaceAll('.', '-')}.${domain}`
  const groups = i.groupIds.map((id) => region.groups.get(id)?.name ?? id)
  const subnet = region.subnets.get(i.subnetId)
  const options = i.metadataOptions
  const profile = liveProfile(region, i, extras.now())
  const credentials = profile?.roleName === undefined ? undefined : extras.credentials?.()
  const spot = i.spot
  const noticeAction = spot?.interruptionBehavior ?? 'terminate'
  const lifecycle = extras.lifecycleState?.()
  const tags = options?.instanceMetadataTags !== 'enabled' ? undefined
    : Object.fromEntries(i.tags.filter((t) => !t.Key.startsWith('aws:')).map((t) => [t.Key, t.Value]))
  const metaData: Node = {
    'ami-id': i.imageId,
    'ami-launch-index': String(i.launchIndex),
    'ami-manifest-path': '(unknown)',
    'hostname': hostname,
    'instance-action': 'none',
    'instance-id': i.id,
    'instance-life-cycle': spot === undefined ? 'on-demand' : 'spot',
    'instance-type': i.type,
    'local-hostname': hostname,
    'local-ipv4': i.privateIp,
    'mac': i.macAddress,
    'reservation-id': i.reservationId,
    'security-groups': groups.join('\n'),
    'public-ipv4': publicIp,
    'public-hostname': publicIp === undefined ? undefined
      : `ec2-${publicIp.replaceAll('.', '-')}.${region.region === 'us-east-1' ? 'compute-1' : `${region.region}.compute`}.amazonaws.com`,
    'placement': {
      'availability-zone': i.zone,
      'availability-zone-id': zonesOf(region.region).find((z) => z.name === i.zone)?.id,
      'region': region.region,
      'group-name': i.placementGroup,
      'partition-number': i.partitionNumber === undefined ? undefined : String(i.partitionNumber),
    },
    'network': { interfaces: { macs: { [i.macAddress]: {
      'device-number': '0', 'interface-id': i.eniId, 'local-hostname': hostname, 'local-ipv4s': i.privateIp, 'mac': i.macAddress,
      'owner-id': region.account, 'public-ipv4s': publicIp, 'security-group-ids': i.groupIds.join('\n'),
      'security-groups': groups.join('\n'), 'subnet-id': i.subnetId, 'subnet-ipv4-cidr-block': subnet?.cidr, 'vpc-id': i.vpcId,
    } } } },
    'iam': profile === undefined ? undefined : {
      info: JSON.stringify({ Code: 'Success', LastUpdated: iso(profile.since), InstanceProfileArn: profile.arn, InstanceProfileId: profile.id }, null, 2),
      'security-credentials': profile.roleName === undefined || credentials === undefined ? undefined : { [profile.roleName]: credentials },
    },
    'tags': tags === undefined ? undefined : { instance: tags },
    // The 2-minute notice: the action and its time, as AWS's IMDS words them [D].
    'spot': spot?.noticeAt === undefined ? undefined : {
      'instance-action': JSON.stringify({ action: noticeAction, time: iso(spot.noticeAt + 120_000) }),
      'termination-time': iso(spot.noticeAt + 120_000),
    },
    'events': spot?.rebalanceAt === undefined ? undefined
      : { recommendations: { rebalance: JSON.stringify({ noticeTime: iso(spot.rebalanceAt) }) } },
    'autoscaling': lifecycle === undefined ? undefined : { 'target-lifecycle-state': lifecycle },
  }
  const identity = JSON.stringify({
    accountId: region.account, architecture: i.architecture, availabilityZone: i.zone, billingProducts: null, devpayProductCodes: null,
    marketplaceProductCodes: null, imageId: i.imageId, instanceId: i.id, instanceType: i.type, kernelId: null,
    pendingTime: iso(i.launchTime), privateIp: i.privateIp, ramdiskId: null, region: region.region, version: '2017-09-30',
  }, null, 2)
  return {
    'meta-data': metaData,
    'dynamic': { 'instance-identity': { document: identity } },
    'user-data': i.userData === undefined ? undefined : Buffer.from(i.userData, 'base64').toString('utf8'),
  }
}

/** The answer for a path under `/latest/`; undefined = 404. A category lists its entries, sub-categories with a `/`. */
export function metadataAt(region: RegionState, instance: InstanceRecord, path: string, extras: MetadataExtras): MetadataAnswer | undefined {
  if (path === '/' || path === '') return { body: 'latest' }
  if (!path.startsWith('/latest')) return undefined
  const segments = path.slice('/latest'.length).split('/').filter((s) => s !== '')
  let node: Node | undefined = tree(region, instance, extras)
  for (const segment of segments) {
    if (node === undefined || typeof node === 'string') return undefined
    // Own entries only: `constructor` or `__proto__` in a path is a 404, not Object's prototype.
    node = Object.hasOwn(node, segment) ? node[segment] : undefined
  }
  if (node === undefined) return undefined
  if (typeof node === 'string') {
    return { body: node, contentType: node.startsWith('{') ? 'application/json' : 'text/plain' }
  }
  // AWS's IMDS lists a category's entries in alphabetical order.
  const names = Object.entries(node).filter(([, v]) => v !== undefined).map(([k, v]) => typeof v === 'string' ? k : `${k}/`).sort()
  return { body: names.join('\n') }
}
