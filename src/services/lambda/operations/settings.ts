// Concurrency, tags, resource policy and account settings.
import type { Operation } from '../../service.ts'
import type { LambdaContext } from '../context.ts'
import { lambdaErrors } from '../errors.ts'
import type { LambdaFunction } from '../function.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'

export function settingOperations(ctx: LambdaContext) {
  const find = (name: string, op: { caller: { account: string; region: string } }, qualifier?: string) =>
    ctx.state.resolve(name, qualifier, op.caller.account, op.caller.region)
  const reservedElsewhere = (fn: LambdaFunction) => ctx.state.allFunctions()
    .filter((f) => f !== fn && f.account === fn.account && f.region === fn.region)
    .reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0)

  const putFunctionConcurrency: Operation<T.PutFunctionConcurrencyRequest, T.Concurrency> = (input, op) => {
    const { fn } = find(input.FunctionName, op)
    const unreserved = limits.accountConcurrency - reservedElsewhere(fn) - input.ReservedConcurrentExecutions
    if (unreserved < limits.minUnreservedConcurrency) {
      throw lambdaErrors.invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's ` +
        `UnreservedConcurrentExecution below its minimum value of [${limits.minUnreservedConcurrency}].`)
    }
    fn.reservedConcurrency = input.ReservedConcurrentExecutions
    ctx.rows?.fn(fn)
    return { ReservedConcurrentExecutions: fn.reservedConcurrency }
  }
  const getFunctionConcurrency: Operation<T.GetFunctionConcurrencyRequest, T.GetFunctionConcurrencyResponse> = (input, op) => {
    const { fn } = find(input.FunctionName, op)
    return { ReservedConcurrentExecutions: fn.reservedConcurrency }
  }
  const deleteFunctionConcurrency: Operation<T.DeleteFunctionConcurrencyRequest, void> = (input, op) => {
    const { fn } = find(input.FunctionName, op)
    fn.reservedConcurrency = undefined
    ctx.rows?.fn(fn)
  }

  /** Tags live on the unqualified function ARN. */
  const taggable = (resource: string) => {
    const fn = ctx.state.findByArn(resource)
    if (fn === undefined || resource !== fn.arn) throw lambdaErrors.functionNotFound(resource)
    return fn
  }
  const tagResource: Operation<T.TagResourceRequest, void> = (input) => {
    const fn = taggable(input.Resource)
    Object.assign(fn.tags, input.Tags)
    ctx.rows?.fn(fn)
  }
  const untagResource: Operation<T.UntagResourceRequest, void> = (input) => {
    const fn = taggable(input.Resource)
    for (const key of input.TagKeys) delete fn.tags[key]
    ctx.rows?.fn(fn)
  }
  const listTags: Operation<T.ListTagsRequest, T.ListTagsResponse> = (input) => ({ Tags: { ...taggable(input.Resource).tags } })

  const addPermission: Operation<T.AddPermissionRequest, T.AddPermissionResponse> = (input, op) => {
    const { fn, qualifier } = find(input.FunctionName, op, input.Qualifier)
    if (fn.policy.some((s) => s.Sid === input.StatementId)) {
      throw lambdaErrors.conflict(`The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`)
    }
    const principal = input.Principal.includes('.') ? { Service: input.Principal }
      : /^\d{12}$/.test(input.Principal) ? { AWS: `arn:aws:iam::${input.Principal}:root` } : input.Principal === '*' ? '*' : { AWS: input.Principal }
    const condition: Record<string, unknown> = {}
    if (input.SourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn }
    if (input.SourceAccount !== undefined) condition.StringEquals = { 'AWS:SourceAccount': input.SourceAccount }
    const statement = {
      Sid: input.StatementId, Effect: 'Allow' as const, Principal: principal, Action: input.Action,
      Resource: qualifier === undefined ? fn.arn : fn.qualifiedArn(qualifier),
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    }
    fn.setPolicy([...fn.policy, statement])
    ctx.rows?.fn(fn)
    return { Statement: JSON.stringify(statement) }
  }
  const removePermission: Operation<T.RemovePermissionRequest, void> = (input, op) => {
    const { fn } = find(input.FunctionName, op, input.Qualifier)
    const i = fn.policy.findIndex((s) => s.Sid === input.StatementId)
    if (i === -1) throw lambdaErrors.resourceNotFound('No policy is associated with the given resource.')
    fn.setPolicy(fn.policy.filter((_, at) => at !== i))
    ctx.rows?.fn(fn)
  }
  const getPolicy: Operation<T.GetPolicyRequest, T.GetPolicyResponse> = (input, op) => {
    const { fn } = find(input.FunctionName, op, input.Qualifier)
    const policy = fn.policyText()
    if (policy === undefined) throw lambdaErrors.resourceNotFound('The resource you requested does not exist.')
    return { Policy: policy, RevisionId: fn.latest.revisionId }
  }

  const getAccountSettings: Operation<T.GetAccountSettingsRequest, T.GetAccountSettingsResponse> = (_input, op) => {
    const fns = ctx.state.allFunctions().filter((f) => f.account === op.caller.account && f.region === op.caller.region)
    const reserved = fns.reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0)
    return {
      AccountLimit: {
        TotalCodeSize: 80_530_636_800, CodeSizeUnzipped: limits.unzippedBytes, CodeSizeZipped: 52_428_800,
        ConcurrentExecutions: limits.accountConcurrency, UnreservedConcurrentExecutions: limits.accountConcurrency - reserved,
      },
      AccountUsage: {
        TotalCodeSize: fns.reduce((sum, f) => sum + f.latest.code.size + [...f.versions.values()].reduce((s, v) => s + v.code.size, 0), 0),
        FunctionCount: fns.length,
      },
    }
  }

  return {
    PutFunctionConcurrency: putFunctionConcurrency, GetFunctionConcurrency: getFunctionConcurrency,
    DeleteFunctionConcurrency: deleteFunctionConcurrency, TagResource: tagResource, UntagResource: untagResource,
    ListTags: listTags, AddPermission: addPermission, RemovePermission: removePermission, GetPolicy: getPolicy,
    GetAccountSettings: getAccountSettings,
  }
}
