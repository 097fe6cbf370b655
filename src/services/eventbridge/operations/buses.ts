// CreateEventBus, DescribeEventBus, ListEventBuses, UpdateEventBus, DeleteEventBus, PutPermission, RemovePermission.
import type { Operation } from '../../service.ts'
import type { EbContext } from '../context.ts'
import { ebErrors } from '../errors.ts'
import { EventBus, type PolicyStatement } from '../event-bus.ts'
import type * as T from '../generated/types.ts'
import { checkBusName, page } from './common.ts'

export function busOperations(ctx: EbContext) {
  const { state } = ctx

  const createEventBus: Operation<T.CreateEventBusRequest, T.CreateEventBusResponse> = (input, { caller }) => {
    checkBusName(input.Name)
    const region = state.at(caller)
    if (region.buses.has(input.Name)) throw ebErrors.busExists(input.Name)
    // Names starting with aws. belong to partner event sources, which Nimbus does not emulate.
    if (input.Name.startsWith('aws.')) throw ebErrors.resourceNotFound(`Event source ${input.EventSourceName ?? input.Name} does not exist.`)
    const bus = new EventBus({ name: input.Name, account: caller.account, region: caller.region, now: ctx.clock.now() })
    bus.description = input.Description
    bus.kmsKeyIdentifier = input.KmsKeyIdentifier
    bus.deadLetterConfig = input.DeadLetterConfig
    bus.logConfig = input.LogConfig
    for (const tag of input.Tags ?? []) bus.tags.set(tag.Key, tag.Value)
    region.buses.set(bus.name, bus)
    state.rows?.bus(bus)
    return { EventBusArn: bus.arn, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyIdentifier,
      DeadLetterConfig: bus.deadLetterConfig, LogConfig: bus.logConfig }
  }

  const describeEventBus: Operation<T.DescribeEventBusRequest, T.DescribeEventBusResponse> = (input, { caller }) => {
    const bus = state.requireBus(input.Name, caller)
    return {
      Name: bus.name, Arn: bus.arn, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyIdentifier,
      DeadLetterConfig: bus.deadLetterConfig, Policy: bus.policyText(), LogConfig: bus.logConfig,
      CreationTime: new Date(bus.createdAt), LastModifiedTime: new Date(bus.lastModifiedAt),
    }
  }

  const listEventBuses: Operation<T.ListEventBusesRequest, T.ListEventBusesResponse> = (input, { caller }) => {
    const buses = [...state.at(caller).buses.values()]
      .filter((b) => input.NamePrefix === undefined || b.name.startsWith(input.NamePrefix))
      .sort((a, b) => a.name.localeCompare(b.name))
    const { items, next } = page(buses, input.NextToken, input.Limit)
    return {
      EventBuses: items.map((b) => ({ Name: b.name, Arn: b.arn, Description: b.description, Policy: b.policyText(),
        CreationTime: new Date(b.createdAt), LastModifiedTime: new Date(b.lastModifiedAt) })),
      NextToken: next,
    }
  }

  const updateEventBus: Operation<T.UpdateEventBusRequest, T.UpdateEventBusResponse> = (input, { caller }) => {
    const bus = state.requireBus(input.Name, caller)
    if (input.Description !== undefined) bus.description = input.Description
    if (input.KmsKeyIdentifier !== undefined) bus.kmsKeyIdentifier = input.KmsKeyIdentifier
    if (input.DeadLetterConfig !== undefined) bus.deadLetterConfig = input.DeadLetterConfig
    if (input.LogConfig !== undefined) bus.logConfig = input.LogConfig
    bus.lastModifiedAt = ctx.clock.now()
    state.rows?.bus(bus)
    return { Arn: bus.arn, Name: bus.name, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyIdentifier,
      DeadLetterConfig: bus.deadLetterConfig, LogConfig: bus.logConfig }
  }

  // Deleting a bus that does not exist succeeds; its rules (and their schedules) go with it.
  const deleteEventBus: Operation<T.DeleteEventBusRequest, void> = (input, { caller }) => {
    checkBusName(input.Name)
    if (input.Name === 'default') throw ebErrors.validation('Cannot delete event bus default.')
    const region = state.at(caller)
    const bus = region.buses.get(input.Name)
    if (bus === undefined) return
    for (const rule of bus.rules.values()) {
      ctx.scheduler.cancel(rule)
      state.rows?.ruleGone(rule)
    }
    for (const archive of [...region.archives.values()]) {
      if (archive.sourceArn !== bus.arn) continue
      region.archives.delete(archive.name)
      archive.forget()
    }
    region.buses.delete(bus.name)
    state.rows?.busGone(bus)
  }

  const putPermission: Operation<T.PutPermissionRequest, void> = (input, { caller }) => {
    const bus = state.requireBus(input.EventBusName, caller)
    if (input.Policy !== undefined) {
      bus.policy = parsePolicy(input.Policy)
    } else {
      bus.policy = { Version: '2012-10-17', Statement: [
        ...(bus.policy?.Statement ?? []).filter((s) => s.Sid !== input.StatementId), statement(bus, input)] }
    }
    bus.lastModifiedAt = ctx.clock.now()
    state.rows?.bus(bus)
  }

  const removePermission: Operation<T.RemovePermissionRequest, void> = (input, { caller }) => {
    const bus = state.requireBus(input.EventBusName, caller)
    if (bus.policy === undefined) throw ebErrors.resourceNotFound('EventBus does not have a policy.')
    if (input.RemoveAllPermissions === true) {
      bus.policy = undefined
      state.rows?.bus(bus)
      return
    }
    const kept = bus.policy.Statement.filter((s) => s.Sid !== input.StatementId)
    if (kept.length === bus.policy.Statement.length) throw ebErrors.resourceNotFound('Statement with the provided id does not exist.')
    bus.policy = kept.length === 0 ? undefined : { ...bus.policy, Statement: kept }
    bus.lastModifiedAt = ctx.clock.now()
    state.rows?.bus(bus)
  }

  return {
    CreateEventBus: createEventBus, DescribeEventBus: describeEventBus, ListEventBuses: listEventBuses,
    UpdateEventBus: updateEventBus, DeleteEventBus: deleteEventBus, PutPermission: putPermission, RemovePermission: removePermission,
  }
}

/** The statement AWS writes for PutPermission's Action/Principal/StatementId/Condition form. */
function statement(bus: EventBus, input: T.PutPermissionRequest): PolicyStatement {
  if (input.StatementId === undefined) throw ebErrors.invalidParameter('StatementId')
  if (input.Action !== 'events:PutEvents') throw ebErrors.invalidParameter('Action', 'Only events:PutEvents is supported.')
  const principal = input.Principal
  if (principal === undefined || (principal !== '*' && !/^\d{12}$/.test(principal))) throw ebErrors.invalidParameter('Principal')
  const out: PolicyStatement = {
    Sid: input.StatementId, Effect: 'Allow', Principal: principal === '*' ? '*' : { AWS: `arn:aws:iam::${principal}:root` },
    Action: 'events:PutEvents', Resource: bus.arn,
  }
  if (input.Condition !== undefined) out.Condition = { [input.Condition.Type]: { [input.Condition.Key]: input.Condition.Value } }
  return out
}

function parsePolicy(text: string): EventBus['policy'] {
  try {
    const value = JSON.parse(text) as { Version?: unknown; Statement?: unknown }
    const statements: unknown[] = Array.isArray(value.Statement) ? value.Statement : [value.Statement]
    if (typeof value !== 'object' || value.Statement === undefined) throw new Error('no statement')
    // Every statement must be an object: later permission calls read their Sids.
    if (statements.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) throw new Error('bad statement')
    return { Version: typeof value.Version === 'string' ? value.Version : '2012-10-17', Statement: statements as PolicyStatement[] }
  } catch {
    throw ebErrors.invalidParameter('Policy')
  }
}
