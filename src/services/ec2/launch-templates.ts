// Launch templates as launches use them: finding one by id or name, resolving a version
// (a number, $Latest or $Default), and a version's data merged under RunInstances' own parameters.
import { ec2Errors } from './errors.ts'
import type { RunInstancesRequest } from './generated/types.ts'
import { isWellFormedId } from './ids.ts'
import type { Ec2LaunchData } from './port.ts'
import type { LaunchTemplateRecord, LaunchTemplateVersionRecord } from './resources.ts'
import type { RegionState } from './store.ts'

export interface TemplateSpec {
  LaunchTemplateId?: string
  LaunchTemplateName?: string
  Version?: string
}

export const templateNamed = (region: RegionState, name: string): LaunchTemplateRecord | undefined =>
  [...region.launchTemplates.values()].find((t) => t.name === name)

/** The template an id or a name (exactly one of them) names; AWS's errors otherwise. */
export function findTemplate(region: RegionState, spec: TemplateSpec): LaunchTemplateRecord {
  const { LaunchTemplateId: id, LaunchTemplateName: name } = spec
  if (id !== undefined && name !== undefined) throw ec2Errors.templateIdAndName()
  if (id !== undefined) {
    if (!isWellFormedId(id, 'lt')) throw ec2Errors.templateIdMalformed(id)
    const template = region.launchTemplates.get(id)
    if (template === undefined) throw ec2Errors.templateIdNotFound(id)
    return template
  }
  if (name !== undefined) {
    const template = templateNamed(region, name)
    if (template === undefined) throw ec2Errors.templateNameNotFound(name)
    return template
  }
  throw ec2Errors.templateIdOrName()
}

/** A version by number, `$Latest` or `$Default` (the default when none is given). */
export function findVersion(template: LaunchTemplateRecord, version: string | undefined): LaunchTemplateVersionRecord {
  const asked = version === undefined || version === '' ? '$Default' : version
  const number = asked === '$Latest' ? template.latestVersion : asked === '$Default' ? template.defaultVersion
    : /^\d+$/.test(asked) ? Number(asked) : undefined
  const found = number === undefined ? undefined : template.versions.find((v) => v.number === number)
  if (found === undefined) throw ec2Errors.templateVersionNotFound(asked, template.id)
  return found
}

const defined = (o: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))

/**
 * RunInstances' input with a template version's data underneath: a parameter RunInstances gives
 * wins (Placement member by member); tags of one resource type are merged, RunInstances' values winning.
 */
export function mergeTemplate(input: RunInstancesRequest, data: Record<string, unknown>): RunInstancesRequest {
  const own = defined(input)
  const merged = { ...data, ...own } as unknown as RunInstancesRequest & Record<string, unknown>
  const placement = { ...(data.Placement as object | undefined), ...(input.Placement === undefined ? {} : defined(input.Placement)) }
  if (Object.keys(placement).length > 0) merged.Placement = placement
  // The request's subnet and groups replace the template's network interface's.
  if (input.SubnetId !== undefined && input.NetworkInterfaces === undefined) delete merged.NetworkInterfaces
  const specs = new Map<string, Map<string, string>>()
  const templateSpecs = (data.TagSpecifications ?? []) as { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[]
  for (const spec of [...templateSpecs, ...(input.TagSpecifications ?? [])]) {
    const type = spec.ResourceType ?? ''
    let tags = specs.get(type)
    if (tags === undefined) specs.set(type, (tags = new Map()))
    for (const tag of spec.Tags ?? []) tags.set(tag.Key ?? '', tag.Value ?? '')
  }
  if (specs.size > 0) {
    merged.TagSpecifications = [...specs].map(([type, tags]) =>
      ({ ResourceType: type as 'instance', Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) }))
  }
  delete merged.LaunchTemplate
  return merged
}

/** The aws: tags AWS puts on an instance launched from a template. */
export const templateTags = (id: string, version: number) =>
  [{ Key: 'aws:ec2launchtemplate:id', Value: id }, { Key: 'aws:ec2launchtemplate:version', Value: String(version) }]

interface TemplateData {
  ImageId?: string
  InstanceType?: string
  KeyName?: string
  SecurityGroupIds?: string[]
  NetworkInterfaces?: { DeviceIndex?: number; Groups?: string[] }[]
  UserData?: string
  TagSpecifications?: { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[]
  InstanceMarketOptions?: { MarketType?: string; SpotOptions?: { MaxPrice?: string } }
  Monitoring?: { Enabled?: boolean }
  DisableApiTermination?: boolean
  EbsOptimized?: boolean
  IamInstanceProfile?: { Arn?: string; Name?: string }
  MetadataOptions?: { HttpTokens?: string; HttpEndpoint?: string; InstanceMetadataTags?: string; HttpPutResponseHopLimit?: number }
  BlockDeviceMappings?: unknown[]
}

/** A version's data as the port's launch parameters (what Auto Scaling launches). */
export function launchDataOf(template: LaunchTemplateRecord, version: LaunchTemplateVersionRecord): Ec2LaunchData {
  const data = version.data as TemplateData
  const nic = data.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0)
  const groups = [...(data.SecurityGroupIds ?? []), ...(nic?.Groups ?? [])]
  const tags = (data.TagSpecifications ?? []).filter((s) => s.ResourceType === 'instance')
    .flatMap((s) => (s.Tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })))
  const market = data.InstanceMarketOptions
  return {
    imageId: data.ImageId, instanceType: data.InstanceType, keyName: data.KeyName,
    securityGroupIds: groups.length === 0 ? undefined : groups, userData: data.UserData,
    tags: tags.length === 0 ? undefined : tags,
    spot: market?.MarketType === 'spot' ? { maxPrice: market.SpotOptions?.MaxPrice } : undefined,
    monitoring: data.Monitoring?.Enabled,
    disableApiTermination: data.DisableApiTermination, ebsOptimized: data.EbsOptimized,
    iamInstanceProfile: data.IamInstanceProfile, metadataOptions: data.MetadataOptions,
    launchTemplate: { id: template.id, version: version.number },
    ...(data.BlockDeviceMappings === undefined ? {} : { blockDeviceMappings: data.BlockDeviceMappings }),
  }
}
