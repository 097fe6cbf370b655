// Network ACLs: each VPC's default ACL (rule 100 allows all, `*` denies, ingress and egress), every
// subnet associated with exactly one ACL (its VPC's default unless replaced), numbered allow/deny
// entries 1–32766 per direction, Create/Describe/Delete, entries, ReplaceNetworkAclAssociation.
import type { OperationTable } from '../../service.ts'
import { formatCidr, parseCidr } from '../cidr.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, type FilterTable, paginate } from '../filters.ts'
import type { CreateNetworkAclEntryRequest, Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { aclAssociations, findNetworkAcl } from '../network-find.ts'
import { networkErrors } from '../network-errors.ts'
import type { NetworkAclEntryRecord, NetworkAclRecord } from '../network-resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { denyAll } from '../vpc-defaults.ts'
import { findVpc } from './network.ts'
import { applyTags, bool, checkId, regionOf, specTags, tagsOut } from './common.ts'

type Associations = ReturnType<typeof aclAssociations>

const associationsOf = (acl: NetworkAclRecord, all: Associations) => [...all.values()].filter((a) => a.aclId === acl.id)

/** AWS lists egress entries first, each direction by rule number. */
const ordered = (entries: readonly NetworkAclEntryRecord[]) =>
  [...entries].sort((a, b) => (a.egress === b.egress ? a.ruleNumber - b.ruleNumber : a.egress ? -1 : 1))

function entryView(e: NetworkAclEntryRecord) {
  return {
    RuleNumber: e.ruleNumber, Egress: e.egress, Protocol: e.protocol, RuleAction: e.action, CidrBlock: e.cidr, Ipv6CidrBlock: e.ipv6Cidr,
    PortRange: e.ports === undefined ? undefined : { From: e.ports.from, To: e.ports.to },
    IcmpTypeCode: e.icmp === undefined ? undefined : { Code: e.icmp.code, Type: e.icmp.type },
  }
}

function view(region: RegionState, acl: NetworkAclRecord, all: Associations) {
  return {
    NetworkAclId: acl.id, VpcId: acl.vpcId, IsDefault: acl.isDefault, OwnerId: region.account, Tags: tagsOut(acl.tags),
    Entries: ordered(acl.entries).map(entryView),
    Associations: associationsOf(acl, all).map((a) => ({ NetworkAclAssociationId: a.id, NetworkAclId: acl.id, SubnetId: a.subnetId })),
  }
}

function filtersFor(region: RegionState, all: Associations): FilterTable<NetworkAclRecord> {
  const entries = (pick: (e: NetworkAclEntryRecord) => string | undefined) => (acl: NetworkAclRecord) => acl.entries.map(pick)
  const associations = (pick: (a: { id: string; subnetId: string }) => string) => (acl: NetworkAclRecord) => associationsOf(acl, all).map(pick)
  return {
    'network-acl-id': (a) => [a.id], 'vpc-id': (a) => [a.vpcId], default: (a) => [bool(a.isDefault)], 'owner-id': () => [region.account],
    'association.association-id': associations((a) => a.id), 'association.subnet-id': associations((a) => a.subnetId),
    'association.network-acl-id': (a) => (associationsOf(a, all).length > 0 ? [a.id] : []),
    'entry.rule-number': entries((e) => String(e.ruleNumber)), 'entry.protocol': entries((e) => e.protocol),
    'entry.rule-action': entries((e) => e.action), 'entry.egress': entries((e) => bool(e.egress)),
    'entry.cidr': entries((e) => e.cidr), 'entry.ipv6-cidr': entries((e) => e.ipv6Cidr),
    'entry.port-range.from': entries((e) => (e.ports === undefined ? undefined : String(e.ports.from))),
    'entry.port-range.to': entries((e) => (e.ports === undefined ? undefined : String(e.ports.to))),
    'entry.icmp.code': entries((e) => (e.icmp === undefined ? undefined : String(e.icmp.code))),
    'entry.icmp.type': entries((e) => (e.icmp === undefined ? undefined : String(e.icmp.type))),
  }
}

const protocolNumbers: Record<string, string> = { all: '-1', tcp: '6', udp: '17', icmp: '1', icmpv6: '58' }

/** An entry as AWS stores it: the protocol by number, TCP/UDP with ports, ICMP with type and code, a CIDR. */
function entryOf(input: CreateNetworkAclEntryRequest): NetworkAclEntryRecord {
  const ruleNumber = input.RuleNumber
  // 32767 is the `*` rule AWS keeps itself.
  if (!Number.isInteger(ruleNumber) || ruleNumber < 1 || ruleNumber > 32766) {
    throw ec2Errors.invalidParameterValue(`Value (${ruleNumber}) for parameter ruleNumber is invalid. Rule numbers must be between 1 and 32766.`)
  }
  const given = (input.Protocol ?? '').toLowerCase()
  const protocol = protocolNumbers[given] ?? given
  if (!/^(-1|\d{1,3})$/.test(protocol) || Number(protocol) > 255) {
    throw ec2Errors.invalidParameterValue(`Invalid value '${input.Protocol}' for protocol. Valid values are -1, all, tcp, udp, icmp or a protocol number.`)
  }
  const action = (input.RuleAction ?? '').toLowerCase()
  if (action !== 'allow' && action !== 'deny') {
    throw ec2Errors.invalidParameterValue(`Value (${input.RuleAction}) for parameter ruleAction is invalid. Valid values are allow and deny.`)
  }
  const entry: NetworkAclEntryRecord = { ruleNumber, egress: input.Egress === true, protocol, action }
  if (input.CidrBlock !== undefined) {
    const cidr = parseCidr(input.CidrBlock)
    if (cidr === undefined) throw ec2Errors.invalidCidr(input.CidrBlock, 'cidrBlock')
    entry.cidr = formatCidr(cidr)
  } else if (input.Ipv6CidrBlock !== undefined) {
    entry.ipv6Cidr = input.Ipv6CidrBlock.toLowerCase()
  } else {
    throw ec2Errors.missingParameter('cidrBlock or ipv6CidrBlock')
  }
  if (protocol === '6' || protocol === '17') {
    const from = input.PortRange?.From
    const to = input.PortRange?.To
    if (from === undefined || to === undefined) throw ec2Errors.missingParameter('portRange')
    if (from < 0 || to > 65535 || from > to) throw ec2Errors.invalidParameterValue(`Invalid port range: ${from}-${to}`)
    entry.ports = { from, to }
  }
  if (protocol === '1' || protocol === '58') {
    const icmp = input.IcmpTypeCode
    if (icmp?.Type === undefined || icmp.Code === undefined) throw ec2Errors.missingParameter('icmpTypeCode')
    entry.icmp = { type: icmp.Type, code: icmp.Code }
  }
  return entry
}

export function networkAclOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateNetworkAcl: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const vpc = findVpc(region, input.VpcId!)
      // A new ACL denies everything until entries are added: only the `*` rules.
      const acl: NetworkAclRecord = { kind: 'acl', id: newId('acl'), vpcId: vpc.id, isDefault: false, tags: [], associations: [], entries: [denyAll(false), denyAll(true)] }
      applyTags(acl, specTags(input.TagSpecifications, 'network-acl'))
      region.save(acl)
      return { NetworkAcl: view(region, acl, new Map()), ClientToken: input.ClientToken }
    },

    DescribeNetworkAcls: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const all = aclAssociations(region)
      const match = compileFilters(input.Filters, filtersFor(region, all))
      const acls = input.NetworkAclIds !== undefined && input.NetworkAclIds.length > 0
        ? input.NetworkAclIds.map((id) => findNetworkAcl(region, id)) : [...region.networkAcls.values()]
      const page = paginate(acls.filter(match), input.MaxResults, input.NextToken, { min: 5, max: 100 })
      return { NetworkAcls: page.items.map((a) => view(region, a, all)), NextToken: page.nextToken }
    },

    DeleteNetworkAcl: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const acl = findNetworkAcl(region, input.NetworkAclId)
      if (acl.isDefault) throw networkErrors.defaultAcl(acl.id)
      if (associationsOf(acl, aclAssociations(region)).length > 0) throw networkErrors.dependency('networkAcl', acl.id)
      region.remove(acl)
    },

    CreateNetworkAclEntry: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const acl = findNetworkAcl(region, input.NetworkAclId)
      const entry = entryOf(input)
      if (acl.entries.some((e) => e.ruleNumber === entry.ruleNumber && e.egress === entry.egress)) throw networkErrors.aclEntryExists(entry.ruleNumber)
      acl.entries.push(entry)
      region.save(acl)
    },

    ReplaceNetworkAclEntry: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const acl = findNetworkAcl(region, input.NetworkAclId)
      const entry = entryOf(input)
      const index = acl.entries.findIndex((e) => e.ruleNumber === entry.ruleNumber && e.egress === entry.egress)
      if (index < 0) throw networkErrors.aclEntryNotFound(entry.ruleNumber, entry.egress, acl.id)
      acl.entries[index] = entry
      region.save(acl)
    },

    DeleteNetworkAclEntry: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const acl = findNetworkAcl(region, input.NetworkAclId)
      const egress = input.Egress === true
      if (input.RuleNumber === 32767) {
        throw ec2Errors.invalidParameterValue(`Value (32767) for parameter ruleNumber is invalid. Rule numbers must be between 1 and 32766.`)
      }
      const index = acl.entries.findIndex((e) => e.ruleNumber === input.RuleNumber && e.egress === egress)
      if (index < 0) throw networkErrors.aclEntryNotFound(input.RuleNumber, egress, acl.id)
      acl.entries.splice(index, 1)
      region.save(acl)
    },

    ReplaceNetworkAclAssociation: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const id = input.AssociationId
      if (id === undefined) throw ec2Errors.missingParameter('associationId')
      checkId(id, 'aclassoc', 'InvalidAssociationID.Malformed')
      const association = [...aclAssociations(region).values()].find((a) => a.id === id)
      if (association === undefined) throw networkErrors.networkAclAssociationNotFound(id)
      const target = findNetworkAcl(region, input.NetworkAclId)
      const subnet = region.subnets.get(association.subnetId)!
      if (target.vpcId !== subnet.vpcId) {
        throw ec2Errors.invalidParameterValue(`Network ACL ${target.id} and subnet ${subnet.id} belong to different networks`)
      }
      // The subnet leaves its ACL (explicit association, if any) and joins the target under a new id.
      for (const acl of region.networkAcls.values()) {
        if (acl.associations.some((a) => a.subnetId === subnet.id)) {
          acl.associations = acl.associations.filter((a) => a.subnetId !== subnet.id)
          region.save(acl)
        }
      }
      const NewAssociationId = newId('aclassoc')
      target.associations.push({ id: NewAssociationId, subnetId: subnet.id })
      region.save(target)
      return { NewAssociationId }
    },
  }
}
