// CreateAlias, GetAlias, ListAliases, UpdateAlias, DeleteAlias (with weighted routing).
import { randomUUID } from 'node:crypto'
import type { Operation } from '../../service.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import type { Alias, LambdaFunction } from '../function.ts'
import type * as T from '../generated/types.ts'
import { page } from './pages.ts'

function toAliasConfiguration(fn: LambdaFunction, alias: Alias): T.AliasConfiguration {
  return {
    AliasArn: fn.qualifiedArn(alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RoutingConfig: alias.additionalVersionWeights === undefined ? undefined : { AdditionalVersionWeights: alias.additionalVersionWeights },
    RevisionId: alias.revisionId,
  }
}

function checkTargets(fn: LambdaFunction, version: string, routing: T.AliasRoutingConfiguration | undefined): void {
  if (version !== '$LATEST' && !fn.versions.has(version)) {
    throw lambdaErrors.functionNotFound(fn.qualifiedArn(version))
  }
  const weights = routing?.AdditionalVersionWeights
  if (weights === undefined) return
  const entries = Object.entries(weights)
  if (entries.length > 1) throw lambdaErrors.invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1')
  for (const [v, w] of entries) {
    if (!fn.versions.has(v)) throw lambdaErrors.invalidParameter(`Version ${v} does not exist`)
    if (v === version) throw lambdaErrors.invalidParameter(`Invalid function version ${v}. Function version ${v} is already included in routing configuration.`)
    if (w < 0 || w > 1) throw lambdaErrors.invalidParameter('Weight must be between 0.0 and 1.0')
  }
  if (version === '$LATEST') throw lambdaErrors.invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version')
}

export function aliasOperations(ctx: LambdaContext) {
  const find = (name: string, op: { caller: { account: string; region: string } }) =>
    ctx.state.resolve(name, undefined, op.caller.account, op.caller.region).fn
  const requireAlias = (fn: LambdaFunction, name: string) => {
    const alias = fn.aliases.get(name)
    if (alias === undefined) throw lambdaErrors.resourceNotFound(`Alias not found: ${fn.qualifiedArn(name)}`)
    return alias
  }

  const createAlias: Operation<T.CreateAliasRequest, T.AliasConfiguration> = (input, op) => {
    const fn = find(input.FunctionName, op)
    if (/^\d+$/.test(input.Name) || input.Name === '$LATEST') {
      throw lambdaErrors.validation([`Value '${input.Name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`])
    }
    if (fn.aliases.has(input.Name)) throw lambdaErrors.conflict(`Alias already exists: ${fn.qualifiedArn(input.Name)}`)
    checkTargets(fn, input.FunctionVersion, input.RoutingConfig)
    const alias: Alias = {
      name: input.Name, functionVersion: input.FunctionVersion, description: input.Description ?? '',
      additionalVersionWeights: input.RoutingConfig?.AdditionalVersionWeights, revisionId: randomUUID(),
    }
    fn.aliases.set(alias.name, alias)
    ctx.rows?.fn(fn)
    return toAliasConfiguration(fn, alias)
  }

  const getAlias: Operation<T.GetAliasRequest, T.AliasConfiguration> = (input, op) => {
    const fn = find(input.FunctionName, op)
    return toAliasConfiguration(fn, requireAlias(fn, input.Name))
  }

  const listAliases: Operation<T.ListAliasesRequest, T.ListAliasesResponse> = (input, op) => {
    const fn = find(input.FunctionName, op)
    const all = [...fn.aliases.values()]
      .filter((a) => input.FunctionVersion === undefined || a.functionVersion === input.FunctionVersion)
      .map((a) => toAliasConfiguration(fn, a))
    const { items, next } = page(all, input.Marker, input.MaxItems)
    return { Aliases: items, NextMarker: next }
  }

  const updateAlias: Operation<T.UpdateAliasRequest, T.AliasConfiguration> = (input, op) => {
    const fn = find(input.FunctionName, op)
    const alias = requireAlias(fn, input.Name)
    if (input.RevisionId !== undefined && input.RevisionId !== alias.revisionId) {
      throw lambdaErrors.preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id')
    }
    const version = input.FunctionVersion ?? alias.functionVersion
    const routing = input.RoutingConfig ?? (alias.additionalVersionWeights === undefined ? undefined : { AdditionalVersionWeights: alias.additionalVersionWeights })
    checkTargets(fn, version, routing)
    alias.functionVersion = version
    alias.description = input.Description ?? alias.description
    alias.additionalVersionWeights = routing?.AdditionalVersionWeights
    alias.revisionId = randomUUID()
    ctx.rows?.fn(fn)
    return toAliasConfiguration(fn, alias)
  }

  const deleteAlias: Operation<T.DeleteAliasRequest, void> = (input, op) => {
    const fn = find(input.FunctionName, op)
    if (fn.aliases.delete(input.Name)) ctx.rows?.fn(fn)
  }

  return { CreateAlias: createAlias, GetAlias: getAlias, ListAliases: listAliases, UpdateAlias: updateAlias, DeleteAlias: deleteAlias }
}
