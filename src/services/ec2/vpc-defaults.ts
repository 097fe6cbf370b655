// What every new VPC comes with besides its default security group: a main route table holding the
// `local` route and a default network ACL (rule 100 allows all, `*` denies, both directions). The
// default VPC also has an internet gateway attached and a 0.0.0.0/0 route to it in its main table.
import { newId, seededId } from './ids.ts'
import type { NetworkAclEntryRecord, NetworkAclRecord, NetworkRecord, RouteTableRecord } from './network-resources.ts'
import type { VpcRecord } from './resources.ts'

/** What of a region's state this needs (the store calls it: typed here so the store is not imported back). */
interface RegionNetwork {
  readonly account: string
  readonly region: string
  readonly vpcs: ReadonlyMap<string, VpcRecord>
  readonly routeTables: ReadonlyMap<string, RouteTableRecord>
  readonly networkAcls: ReadonlyMap<string, NetworkAclRecord>
  save(record: NetworkRecord): void
}

/** The default ACL's rules (and a new ACL's `*` deny rules, which every ACL keeps). */
export const denyAll = (egress: boolean): NetworkAclEntryRecord =>
  ({ ruleNumber: 32767, egress, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' })

export function addVpcDefaults(region: RegionNetwork, vpc: VpcRecord, seed: string | undefined): void {
  const id = (prefix: string) => (seed === undefined ? newId(prefix) : seededId(prefix, `${seed}/${prefix}`))
  const table: RouteTableRecord = {
    kind: 'rtb', id: id('rtb'), vpcId: vpc.id, tags: [],
    routes: [{ destination: vpc.cidr, ipv6: false, origin: 'CreateRouteTable', gatewayId: 'local' }],
    associations: [{ id: id('rtbassoc'), main: true }],
  }
  const acl: NetworkAclRecord = {
    kind: 'acl', id: id('acl'), vpcId: vpc.id, tags: [], isDefault: true, associations: [],
    entries: [
      { ruleNumber: 100, egress: false, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' }, denyAll(false),
      { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' }, denyAll(true),
    ],
  }
  if (vpc.isDefault) {
    const igw = id('igw')
    region.save({ kind: 'igw', id: igw, vpcId: vpc.id, egressOnly: false, tags: [] })
    table.routes.push({ destination: '0.0.0.0/0', ipv6: false, origin: 'CreateRoute', gatewayId: igw })
  }
  region.save(table)
  region.save(acl)
}

/** Gives every VPC lacking them its main route table and default ACL (state from before they existed). */
export function ensureVpcDefaults(region: RegionNetwork): void {
  for (const vpc of [...region.vpcs.values()]) {
    const hasTable = [...region.routeTables.values()].some((t) => t.vpcId === vpc.id)
    const hasAcl = [...region.networkAcls.values()].some((a) => a.vpcId === vpc.id)
    if (!hasTable && !hasAcl) addVpcDefaults(region, vpc, vpc.isDefault ? `${region.account}/${region.region}/default` : undefined)
  }
}
