// CreateArchive, DescribeArchive, ListArchives, UpdateArchive, DeleteArchive. An archive feeds from a
// managed rule on its bus (`Events-Archive-<name>`, ManagedBy events.amazonaws.com) whose pattern is
// the archive's plus `"replay-name": [{"exists": false}]`, so replayed events are never archived.
import type { Operation } from '../../service.ts'
import { Archive } from '../archive.ts'
import type { EbContext } from '../context.ts'
import type { EbRows } from '../eb-rows.ts'
import { ebErrors } from '../errors.ts'
import type { EventBus } from '../event-bus.ts'
import type * as T from '../generated/types.ts'
import { Rule, ruleArn } from '../rule.ts'
import { checkName, compileEventPattern, page } from './common.ts'

const MANAGER = 'events.amazonaws.com'

function archiveRulePattern(pattern: string | undefined): string {
  const base = pattern === undefined ? {} : JSON.parse(pattern) as Record<string, unknown>
  return JSON.stringify({ ...base, 'replay-name': [{ exists: false }] })
}

function setArchiveRule(bus: EventBus, archive: Archive, rows: EbRows | undefined): void {
  const text = archiveRulePattern(archive.eventPattern)
  const existing = bus.rules.get(archive.ruleName)
  const spec = { eventPattern: text, compiled: compileEventPattern(text), schedule: undefined, state: 'ENABLED' as const,
    description: undefined, roleArn: undefined }
  const rule = existing ?? new Rule({ name: archive.ruleName, arn: ruleArn(bus.account, bus.region, bus.name, archive.ruleName),
    busName: bus.name, account: bus.account, region: bus.region, spec, managedBy: MANAGER, archiveName: archive.name })
  rule.spec = spec
  bus.rules.set(rule.name, rule)
  rows?.rule(rule)
  bus.reindex(rule)
}

export function archiveOperations(ctx: EbContext) {
  const { state, clock } = ctx
  const requireArchive = (name: string, where: { account: string; region: string }) => {
    const archive = state.at(where).archives.get(name)
    if (archive === undefined) throw ebErrors.archiveNotFound(name)
    return archive
  }

  const createArchive: Operation<T.CreateArchiveRequest, T.CreateArchiveResponse> = (input, { caller }) => {
    checkName(input.ArchiveName, 'ArchiveName', 48)
    const region = state.at(caller)
    if (region.archives.has(input.ArchiveName)) throw ebErrors.archiveExists(input.ArchiveName)
    const bus = state.findBus(input.EventSourceArn, caller)
    if (bus === undefined || !input.EventSourceArn.startsWith('arn:')) {
      throw ebErrors.invalidParameter('EventSourceArn', `Event bus ${input.EventSourceArn} does not exist.`)
    }
    if (input.EventPattern !== undefined) compileEventPattern(input.EventPattern)
    const archive = new Archive({ name: input.ArchiveName, account: caller.account, region: caller.region, sourceArn: bus.arn,
      now: clock.now(), description: input.Description, eventPattern: input.EventPattern, retentionDays: input.RetentionDays,
      rows: state.rows })
    region.archives.set(archive.name, archive)
    archive.save()
    setArchiveRule(bus, archive, state.rows)
    return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: new Date(archive.createdAt) }
  }

  const describeArchive: Operation<T.DescribeArchiveRequest, T.DescribeArchiveResponse> = (input, { caller }) =>
    requireArchive(input.ArchiveName, caller).describe(clock.now())

  const listArchives: Operation<T.ListArchivesRequest, T.ListArchivesResponse> = (input, { caller }) => {
    const archives = [...state.at(caller).archives.values()]
      .filter((a) => input.NamePrefix === undefined || a.name.startsWith(input.NamePrefix))
      .filter((a) => input.EventSourceArn === undefined || a.sourceArn === input.EventSourceArn)
      .filter(() => input.State === undefined || input.State === 'ENABLED')
      .sort((a, b) => a.name.localeCompare(b.name))
    const { items, next } = page(archives, input.NextToken, input.Limit)
    return { Archives: items.map((a) => a.summary(clock.now())), NextToken: next }
  }

  const updateArchive: Operation<T.UpdateArchiveRequest, T.UpdateArchiveResponse> = (input, { caller }) => {
    const archive = requireArchive(input.ArchiveName, caller)
    if (input.EventPattern === undefined && input.RetentionDays === undefined && input.Description === undefined) {
      throw ebErrors.validation('At least one of EventPattern, RetentionDays or Description must be provided.')
    }
    if (input.EventPattern !== undefined) compileEventPattern(input.EventPattern)
    if (input.Description !== undefined) archive.description = input.Description
    if (input.RetentionDays !== undefined) archive.retentionDays = input.RetentionDays
    archive.save()
    if (input.EventPattern !== undefined) {
      archive.eventPattern = input.EventPattern
      const bus = state.findBus(archive.sourceArn, caller)
      if (bus !== undefined) setArchiveRule(bus, archive, state.rows)
    }
    return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: new Date(archive.createdAt) }
  }

  const deleteArchive: Operation<T.DeleteArchiveRequest, T.DeleteArchiveResponse> = (input, { caller }) => {
    const archive = requireArchive(input.ArchiveName, caller)
    state.at(caller).archives.delete(archive.name)
    archive.forget()
    const bus = state.findBus(archive.sourceArn, caller)
    const rule = bus?.rules.get(archive.ruleName)
    if (bus !== undefined && rule !== undefined) {
      bus.removeRule(rule)
      state.rows?.ruleGone(rule)
    }
    return {}
  }

  return {
    CreateArchive: createArchive, DescribeArchive: describeArchive, ListArchives: listArchives,
    UpdateArchive: updateArchive, DeleteArchive: deleteArchive,
  }
}
