// Launch templates: Create/Describe/Modify/DeleteLaunchTemplate and their versions
// (CreateLaunchTemplateVersion with SourceVersion, DescribeLaunchTemplateVersions with $Latest/$Default,
// DeleteLaunchTemplateVersions answering per version as AWS does).
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate, type FilterTable } from '../filters.ts'
import type { Ec2Operations, LaunchTemplateErrorCode } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { findTemplate, findVersion, templateNamed } from '../launch-templates.ts'
import type { LaunchTemplateRecord, LaunchTemplateVersionRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, bool, regionOf, specTags, tagsOut } from './common.ts'

/** AWS: 3–128 letters, digits and ( ) . - / _ */
const validName = (name: string) => /^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)
/** DescribeLaunchTemplates and DescribeLaunchTemplateVersions page 1–200 at a time. */
const pageLimits = { min: 1, max: 200 }

const createdBy = (region: RegionState) => `arn:aws:iam::${region.account}:root`

const templateView = (t: LaunchTemplateRecord) => ({
  LaunchTemplateId: t.id, LaunchTemplateName: t.name, CreateTime: new Date(t.createTime), CreatedBy: t.createdBy,
  DefaultVersionNumber: t.defaultVersion, LatestVersionNumber: t.latestVersion, Tags: tagsOut(t.tags),
})

const versionView = (t: LaunchTemplateRecord, v: LaunchTemplateVersionRecord) => ({
  LaunchTemplateId: t.id, LaunchTemplateName: t.name, VersionNumber: v.number, VersionDescription: v.description,
  CreateTime: new Date(v.createTime), CreatedBy: t.createdBy, DefaultVersion: v.number === t.defaultVersion,
  LaunchTemplateData: v.data,
})

const templateFilters: FilterTable<LaunchTemplateRecord> = {
  'create-time': (t) => [new Date(t.createTime).toISOString()],
  'launch-template-name': (t) => [t.name],
}

type VersionRow = { template: LaunchTemplateRecord; version: LaunchTemplateVersionRecord; tags: [] }
const data = (r: VersionRow) => r.version.data as Record<string, { Name?: string; Arn?: string; HttpEndpoint?: string } | string | boolean | undefined>
const versionFilters: FilterTable<VersionRow> = {
  'create-time': (r) => [new Date(r.version.createTime).toISOString()],
  'ebs-optimized': (r) => [bool(data(r).EbsOptimized === true)],
  'iam-instance-profile': (r) => { const p = data(r).IamInstanceProfile as { Name?: string; Arn?: string } | undefined; return [p?.Name, p?.Arn] },
  'image-id': (r) => [data(r).ImageId as string | undefined],
  'instance-type': (r) => [data(r).InstanceType as string | undefined],
  'is-default-version': (r) => [bool(r.version.number === r.template.defaultVersion)],
  'kernel-id': (r) => [data(r).KernelId as string | undefined],
  'ram-disk-id': (r) => [data(r).RamDiskId as string | undefined],
}

function newVersion(region: RegionState, template: LaunchTemplateRecord, description: string | undefined, body: Record<string, unknown>): LaunchTemplateVersionRecord {
  const version: LaunchTemplateVersionRecord = { number: template.lastNumber + 1, description, createTime: region.now, data: body }
  template.versions.push(version)
  template.latestVersion = template.lastNumber = version.number
  return version
}

export function launchTemplateOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    CreateLaunchTemplate: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      if (input.LaunchTemplateName === undefined) throw ec2Errors.missingParameter('LaunchTemplateName')
      if (input.LaunchTemplateData === undefined) throw ec2Errors.templateDataMissing()
      if (!validName(input.LaunchTemplateName)) throw ec2Errors.templateNameMalformed()
      if (templateNamed(region, input.LaunchTemplateName) !== undefined) throw ec2Errors.templateNameDuplicate()
      const template: LaunchTemplateRecord = {
        kind: 'lt', id: newId('lt'), name: input.LaunchTemplateName, createTime: region.now, createdBy: createdBy(region),
        defaultVersion: 1, latestVersion: 0, lastNumber: 0, versions: [], tags: [],
      }
      applyTags(template, specTags(input.TagSpecifications, 'launch-template'))
      newVersion(region, template, input.VersionDescription, input.LaunchTemplateData as Record<string, unknown>)
      region.save(template)
      return { LaunchTemplate: templateView(template) }
    },

    CreateLaunchTemplateVersion: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const template = findTemplate(region, input)
      if (input.LaunchTemplateData === undefined) throw ec2Errors.templateDataMissing()
      // With SourceVersion, the new version starts from that one's data; what is given replaces it key by key.
      const source = input.SourceVersion === undefined ? {} : findVersion(template, input.SourceVersion).data
      const version = newVersion(region, template, input.VersionDescription, { ...source, ...(input.LaunchTemplateData as Record<string, unknown>) })
      region.save(template)
      return { LaunchTemplateVersion: versionView(template, version) }
    },

    DescribeLaunchTemplates: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      let all = [...region.launchTemplates.values()]
      if (input.LaunchTemplateIds !== undefined && input.LaunchTemplateIds.length > 0) {
        all = input.LaunchTemplateIds.map((id) => findTemplate(region, { LaunchTemplateId: id }))
      }
      if (input.LaunchTemplateNames !== undefined && input.LaunchTemplateNames.length > 0) {
        const names = input.LaunchTemplateNames
        if (names.some((n) => templateNamed(region, n) === undefined)) throw ec2Errors.templatesNotFound()
        all = all.filter((t) => names.includes(t.name))
      }
      const page = paginate(all.filter(compileFilters(input.Filters, templateFilters)), input.MaxResults, input.NextToken, pageLimits)
      return { LaunchTemplates: page.items.map(templateView), NextToken: page.nextToken }
    },

    DescribeLaunchTemplateVersions: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const versions = input.Versions ?? []
      let rows: VersionRow[]
      if (input.LaunchTemplateId === undefined && input.LaunchTemplateName === undefined) {
        // Without a template, AWS describes $Latest and/or $Default of every template.
        if (versions.length === 0 || versions.some((v) => v !== '$Latest' && v !== '$Default')) throw ec2Errors.templateIdOrName()
        rows = [...region.launchTemplates.values()].flatMap((template) => [...new Set(versions.map((v) => findVersion(template, v)))]
          .map((version) => ({ template, version, tags: [] as [] })))
      } else {
        const template = findTemplate(region, input)
        const chosen = versions.length > 0 ? [...new Set(versions.map((v) => findVersion(template, v)))]
          : [...template.versions].reverse()
        const min = input.MinVersion === undefined ? undefined : findVersion(template, input.MinVersion).number
        const max = input.MaxVersion === undefined ? undefined : findVersion(template, input.MaxVersion).number
        rows = chosen.filter((v) => (min === undefined || v.number >= min) && (max === undefined || v.number <= max))
          .map((version) => ({ template, version, tags: [] as [] }))
      }
      const page = paginate(rows.filter(compileFilters(input.Filters, versionFilters)), input.MaxResults, input.NextToken, pageLimits)
      return { LaunchTemplateVersions: page.items.map((r) => versionView(r.template, r.version)), NextToken: page.nextToken }
    },

    ModifyLaunchTemplate: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const template = findTemplate(region, input)
      if (input.DefaultVersion !== undefined) {
        template.defaultVersion = findVersion(template, input.DefaultVersion).number
        region.save(template)
      }
      return { LaunchTemplate: templateView(template) }
    },

    DeleteLaunchTemplate: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const template = findTemplate(region, input)
      region.remove(template)
      return { LaunchTemplate: { ...templateView(template), Tags: undefined } }
    },

    DeleteLaunchTemplateVersions: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const template = findTemplate(region, input)
      const done: { LaunchTemplateId: string; LaunchTemplateName: string; VersionNumber: number }[] = []
      const failed: { LaunchTemplateId: string; LaunchTemplateName: string; VersionNumber?: number; ResponseError: { Code: LaunchTemplateErrorCode; Message: string } }[] = []
      for (const asked of input.Versions) {
        const number = /^\d+$/.test(asked) ? Number(asked) : undefined
        const ids = { LaunchTemplateId: template.id, LaunchTemplateName: template.name }
        const version = template.versions.find((v) => v.number === number)
        if (version === undefined) {
          failed.push({ ...ids, VersionNumber: number, ResponseError: { Code: 'launchTemplateVersionDoesNotExist', Message: 'The specified launch template version does not exist.' } })
        } else if (version.number === template.defaultVersion) {
          failed.push({ ...ids, VersionNumber: number, ResponseError: { Code: 'unexpectedError', Message: 'Cannot delete the default version of a launch template. Delete the launch template or set a different default version.' } })
        } else {
          template.versions = template.versions.filter((v) => v !== version)
          done.push({ ...ids, VersionNumber: version.number })
        }
      }
      if (done.length > 0) {
        template.latestVersion = Math.max(...template.versions.map((v) => v.number))
        region.save(template)
      }
      return {
        SuccessfullyDeletedLaunchTemplateVersions: done.length === 0 ? undefined : done,
        UnsuccessfullyDeletedLaunchTemplateVersions: failed.length === 0 ? undefined : failed,
      }
    },
  }
}
