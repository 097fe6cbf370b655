// Security groups and their rules: one entry per protocol, port range and peer, so a duplicate is
// found exactly (InvalidPermission.Duplicate) and AWS's grouped IpPermissions are rebuilt on output.
import type { OperationContext, OperationTable } from '../../service.ts'
import { parseCidr } from '../cidr.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, type FilterTable, paginate } from '../filters.ts'
import type { Ec2Operations, IpPermission } from '../generated/types.ts'
import { newId } from '../ids.ts'
import type { GroupRecord, RuleRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, checkId, regionOf, specTags, tagsOut } from './common.ts'
import { findVpc } from './network.ts'
import { groupUsedByInterfaces } from '../network-dependents.ts'

const ruleValues = (g: GroupRecord, pick: (r: RuleRecord) => string | number | undefined, egress = false) =>
  (egress ? g.egress : g.ingress).map((r) => { const v = pick(r); return v === undefined ? undefined : String(v) })

const groupFilters: FilterTable<GroupRecord> = {
  'group-id': (g) => [g.id],
  'group-name': (g) => [g.name],
  'description': (g) => [g.description],
  'vpc-id': (g) => [g.vpcId],
  'owner-id': () => [],
  'ip-permission.cidr': (g) => ruleValues(g, (r) => r.cidr),
  'ip-permission.from-port': (g) => ruleValues(g, (r) => r.fromPort),
  'ip-permission.to-port': (g) => ruleValues(g, (r) => r.toPort),
  'ip-permission.protocol': (g) => ruleValues(g, (r) => r.protocol),
  'ip-permission.group-id': (g) => ruleValues(g, (r) => r.groupId),
  'egress.ip-permission.cidr': (g) => ruleValues(g, (r) => r.cidr, true),
}

const protocolNames: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' }

/** "tcp", "6" → tcp; "-1" (all traffic) has no ports. */
function normalizeProtocol(value: string | undefined): string {
  const p = (value ?? '').toLowerCase()
  if (p === '') throw ec2Errors.missingParameter('ipProtocol')
  const name = protocolNames[p] ?? p
  if (!['tcp', 'udp', 'icmp', 'icmpv6', '-1'].includes(name) && !/^\d+$/.test(name)) {
    throw ec2Errors.invalidParameterValue(`Invalid value '${value}' for IP protocol. Unknown protocol.`)
  }
  return name
}

/** The entries one IpPermission stands for, one per peer. */
function entriesOf(region: RegionState, p: IpPermission): RuleRecord[] {
  const protocol = normalizeProtocol(p.IpProtocol)
  const ports = protocol === '-1' ? { fromPort: undefined, toPort: undefined } : { fromPort: p.FromPort, toPort: p.ToPort }
  if ((protocol === 'tcp' || protocol === 'udp') && (ports.fromPort === undefined || ports.toPort === undefined)) {
    throw ec2Errors.invalidParameterValue(`Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange. Must specify both from and to ports with TCP/UDP.`)
  }
  if (ports.fromPort !== undefined && ports.toPort !== undefined && protocol !== 'icmp' && ports.fromPort > ports.toPort) {
    throw ec2Errors.invalidParameterValue(`Invalid value 'Invalid TCP/UDP port range' for portRange. Invalid TCP/UDP port range`)
  }
  const out: RuleRecord[] = []
  const base = { ruleId: '', protocol, ...ports }
  for (const range of p.IpRanges ?? []) {
    const cidr = range.CidrIp ?? ''
    if (parseCidr(cidr) === undefined) throw ec2Errors.invalidParameterValue(`CIDR block ${cidr} is malformed`)
    out.push({ ...base, ruleId: newId('sgr'), cidr, description: range.Description })
  }
  for (const range of p.Ipv6Ranges ?? []) out.push({ ...base, ruleId: newId('sgr'), cidrV6: range.CidrIpv6, description: range.Description })
  for (const pair of p.UserIdGroupPairs ?? []) {
    const peer = pair.GroupId !== undefined ? findGroup(region, pair.GroupId, undefined) : findGroup(region, undefined, pair.GroupName)
    out.push({ ...base, ruleId: newId('sgr'), groupId: peer.id, description: pair.Description })
  }
  return out
}

const sameRule = (a: RuleRecord, b: RuleRecord) => a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort &&
  a.cidr === b.cidr && a.cidrV6 === b.cidrV6 && a.groupId === b.groupId

/** AWS's wording of a rule in InvalidPermission.Duplicate. */
function describeRule(r: RuleRecord): string {
  const peer = r.cidr ?? r.cidrV6 ?? r.groupId
  if (r.protocol === '-1') return `peer: ${peer}, ALL, ALLOW`
  return `peer: ${peer}, ${r.protocol.toUpperCase()}, from port: ${r.fromPort}, to port: ${r.toPort}, ALLOW`
}

/** Entries grouped back into IpPermissions by protocol and port range, as AWS returns them. */
function permissionsOut(account: string, rules: readonly RuleRecord[]): IpPermission[] {
  const groups = new Map<string, IpPermission>()
  for (const r of rules) {
    const key = `${r.protocol}/${r.fromPort}/${r.toPort}`
    let p = groups.get(key)
    if (p === undefined) {
      p = { IpProtocol: r.protocol, FromPort: r.fromPort, ToPort: r.toPort, IpRanges: [], Ipv6Ranges: [], UserIdGroupPairs: [], PrefixListIds: [] }
      groups.set(key, p)
    }
    if (r.cidr !== undefined) p.IpRanges!.push({ CidrIp: r.cidr, Description: r.description })
    if (r.cidrV6 !== undefined) p.Ipv6Ranges!.push({ CidrIpv6: r.cidrV6, Description: r.description })
    if (r.groupId !== undefined) p.UserIdGroupPairs!.push({ GroupId: r.groupId, UserId: account, Description: r.description })
  }
  return [...groups.values()]
}

export function findGroup(region: RegionState, id: string | undefined, name: string | undefined): GroupRecord {
  if (id !== undefined) {
    checkId(id, 'sg', 'InvalidGroupId.Malformed')
    const group = region.groups.get(id)
    if (group === undefined) throw ec2Errors.groupNotFound(id)
    return group
  }
  const vpc = region.defaultVpc()!
  const group = [...region.groups.values()].find((g) => g.vpcId === vpc.id && g.name === name)
  if (group === undefined) throw ec2Errors.groupNameNotFound(name ?? '', vpc.id)
  return group
}

function groupView(region: RegionState, g: GroupRecord) {
  return {
    GroupId: g.id, GroupName: g.name, Description: g.description, VpcId: g.vpcId, OwnerId: region.account, Tags: tagsOut(g.tags),
    IpPermissions: permissionsOut(region.account, g.ingress), IpPermissionsEgress: permissionsOut(region.account, g.egress),
    SecurityGroupArn: `arn:aws:ec2:${region.region}:${region.account}:security-group/${g.id}`,
  }
}

interface RuleChange {
  GroupId?: string
  GroupName?: string
  IpPermissions?: IpPermission[]
  IpProtocol?: string
  FromPort?: number
  ToPort?: number
  CidrIp?: string
  DryRun?: boolean
  TagSpecifications?: { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[]
}

/** The permissions a call names: IpPermissions, or the older top-level protocol/ports/CIDR. */
function permissionsIn(input: RuleChange): IpPermission[] {
  if (input.IpPermissions !== undefined && input.IpPermissions.length > 0) return input.IpPermissions
  if (input.IpProtocol !== undefined) {
    return [{ IpProtocol: input.IpProtocol, FromPort: input.FromPort, ToPort: input.ToPort, IpRanges: input.CidrIp === undefined ? [] : [{ CidrIp: input.CidrIp }] }]
  }
  throw ec2Errors.missingParameter('ipPermissions')
}

function authorize(state: Ec2State, input: RuleChange, ctx: OperationContext, egress: boolean) {
  const region = regionOf(state, input, ctx)
  const group = findGroup(region, input.GroupId, input.GroupName)
  const rules = egress ? group.egress : group.ingress
  const added = permissionsIn(input).flatMap((p) => entriesOf(region, p))
  for (const [i, r] of added.entries()) {
    if (rules.some((x) => sameRule(x, r)) || added.slice(0, i).some((x) => sameRule(x, r))) throw ec2Errors.permissionDuplicate(describeRule(r))
  }
  rules.push(...added)
  region.save(group)
  return {
    Return: true,
    SecurityGroupRules: added.map((r) => ({
      SecurityGroupRuleId: r.ruleId, GroupId: group.id, GroupOwnerId: region.account, IsEgress: egress, IpProtocol: r.protocol,
      FromPort: r.fromPort ?? -1, ToPort: r.toPort ?? -1, CidrIpv4: r.cidr, CidrIpv6: r.cidrV6, Description: r.description,
      ReferencedGroupInfo: r.groupId === undefined ? undefined : { GroupId: r.groupId, UserId: region.account },
    })),
  }
}

function revoke(state: Ec2State, input: RuleChange, ctx: OperationContext, egress: boolean) {
  const region = regionOf(state, input, ctx)
  const group = findGroup(region, input.GroupId, input.GroupName)
  const rules = egress ? group.egress : group.ingress
  const removed = permissionsIn(input).flatMap((p) => entriesOf(region, p))
  for (const r of removed) if (!rules.some((x) => sameRule(x, r))) throw ec2Errors.permissionNotFound()
  const kept = rules.filter((x) => !removed.some((r) => sameRule(x, r)))
  rules.splice(0, rules.length, ...kept)
  region.save(group)
  return { Return: true }
}

export function securityGroupOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    DescribeSecurityGroups: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const match = compileFilters(input.Filters, groupFilters)
      let all = [...region.groups.values()]
      if (input.GroupIds !== undefined && input.GroupIds.length > 0) all = input.GroupIds.map((id) => findGroup(region, id, undefined))
      if (input.GroupNames !== undefined && input.GroupNames.length > 0) all = input.GroupNames.map((n) => findGroup(region, undefined, n))
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      return { SecurityGroups: page.items.map((g) => groupView(region, g)), NextToken: page.nextToken }
    },

    CreateSecurityGroup: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const name = input.GroupName
      if (name === 'default') throw ec2Errors.groupReserved()
      if (name.startsWith('sg-')) throw ec2Errors.invalidParameterValue('Group names may not be in the format sg-*')
      if (name.length > 255) throw ec2Errors.invalidParameterValue(`Invalid value '${name}' for groupName. Length exceeds maximum of 255.`)
      const vpc = input.VpcId === undefined ? region.defaultVpc()! : findVpc(region, input.VpcId)
      if ([...region.groups.values()].some((g) => g.vpcId === vpc.id && g.name === name)) throw ec2Errors.groupDuplicate(name, vpc.id)
      const group: GroupRecord = {
        kind: 'sg', id: newId('sg'), name, description: input.Description, vpcId: vpc.id, tags: [], ingress: [],
        egress: [{ ruleId: newId('sgr'), protocol: '-1', fromPort: undefined, toPort: undefined, cidr: '0.0.0.0/0' }],
      }
      applyTags(group, specTags(input.TagSpecifications, 'security-group'))
      region.save(group)
      return { GroupId: group.id, Tags: tagsOut(group.tags), SecurityGroupArn: groupView(region, group).SecurityGroupArn }
    },

    DeleteSecurityGroup: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const group = findGroup(region, input.GroupId, input.GroupName)
      if (group.name === 'default') throw ec2Errors.cannotDeleteDefaultGroup()
      if (region.allInstances().some((i) => i.state !== 'terminated' && i.groupIds.includes(group.id)) || groupUsedByInterfaces(region, group.id)) {
        throw ec2Errors.dependencyViolation(`resource ${group.id} has a dependent object`)
      }
      region.remove(group)
      return { Return: true, GroupId: group.id }
    },

    AuthorizeSecurityGroupIngress: (input, ctx) => authorize(state, input, ctx, false),
    AuthorizeSecurityGroupEgress: (input, ctx) => authorize(state, input, ctx, true),
    RevokeSecurityGroupIngress: (input, ctx) => revoke(state, input, ctx, false),
    RevokeSecurityGroupEgress: (input, ctx) => revoke(state, input, ctx, true),
  }
}
