// Managed policies attached to users, groups and roles (at most 10 each), ListEntitiesForPolicy,
// and inline policies put/get/list/delete on each, with AWS's size quotas per kind.
import type { OperationTable } from '../../service.ts'
import { awsManagedPolicy } from '../aws-managed-policies.ts'
import { iamErrors } from '../errors.ts'
import type { iamOperations } from '../generated/types.ts'
import { checkName, limits, paginate, underPrefix } from '../names.ts'
import { type IamState, nameKey, type Permissions } from '../store.ts'
import { checkDocument, encodedDocument, requireGroup, requireRole, requireUser } from './common.ts'
import { isAttachable } from './policies.ts'

type Kind = 'user' | 'group' | 'role'
type Entity = Permissions & { account: string; name: string; path: string; id: string }

/** Inline policy quotas: a user's inline policies may take 2,048 characters, a group's 5,120, a role's 10,240 (whitespace not counted). */
const INLINE_SIZE: Record<Kind, number> = { user: 2048, group: 5120, role: 10_240 }
const QUOTA_NAME: Record<Kind, string> = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' }

export function attachmentOperations(state: IamState): OperationTable<iamOperations> {
  const find = (kind: Kind, account: string, name: string): Entity =>
    kind === 'user' ? requireUser(state, account, name) : kind === 'group' ? requireGroup(state, account, name) : requireRole(state, account, name)
  const save = (kind: Kind, entity: Entity) => {
    const key = nameKey(entity.account, entity.name)
    if (kind === 'user') state.users.save(key, entity as never)
    else if (kind === 'group') state.groups.save(key, entity as never)
    else state.roles.save(key, entity as never)
  }
  const attach = (kind: Kind, account: string, name: string, arn: string) => {
    const entity = find(kind, account, name)
    if (!isAttachable(state, account, arn)) throw iamErrors.policyNotAttachable(arn)
    if (kind === 'role' && awsManagedPolicy(arn) === undefined && entity.path.startsWith('/aws-service-role/')) {
      throw iamErrors.unmodifiable(`Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`)
    }
    if (entity.attached.includes(arn)) return
    if (entity.attached.length >= limits.managedPoliciesPerEntity) throw iamErrors.limitExceeded(`Cannot exceed quota for ${QUOTA_NAME[kind]}: 10`)
    entity.attached.push(arn)
    save(kind, entity)
  }
  const detach = (kind: Kind, account: string, name: string, arn: string) => {
    const entity = find(kind, account, name)
    if (!entity.attached.includes(arn)) throw iamErrors.policyNotFound(arn)
    entity.attached = entity.attached.filter((a) => a !== arn)
    save(kind, entity)
  }
  const listAttached = (kind: Kind, account: string, name: string, input: { PathPrefix?: string; Marker?: string; MaxItems?: number }) => {
    const entity = find(kind, account, name)
    const attached = entity.attached.flatMap((arn) => {
      const aws = awsManagedPolicy(arn)
      const path = aws?.path ?? state.policies.get(arn)?.path ?? '/'
      const policyName = aws?.name ?? state.policies.get(arn)?.name ?? arn.slice(arn.lastIndexOf('/') + 1)
      return underPrefix(path, input.PathPrefix) ? [{ PolicyName: policyName, PolicyArn: arn }] : []
    })
    const { page, ...rest } = paginate(attached, input.Marker, input.MaxItems)
    return { AttachedPolicies: page, ...rest }
  }
  const put = (kind: Kind, account: string, name: string, policyName: string, document: string) => {
    const entity = find(kind, account, name)
    checkName('policyName', policyName, limits.policyName)
    const others = Object.entries(entity.inline).filter(([n]) => n !== policyName).reduce((sum, [, d]) => sum + d.replace(/\s/g, '').length, 0)
    const size = INLINE_SIZE[kind]
    checkDocument(document, 'identity', size - others,
      () => iamErrors.limitExceeded(`Maximum policy size of ${size} bytes exceeded for ${kind} ${entity.name}`))
    entity.inline[policyName] = document
    save(kind, entity)
  }
  const getInline = (kind: Kind, account: string, name: string, policyName: string) => {
    const entity = find(kind, account, name)
    const document = entity.inline[policyName]
    if (document === undefined) throw iamErrors.noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`)
    return { PolicyName: policyName, PolicyDocument: encodedDocument(document) }
  }
  const deleteInline = (kind: Kind, account: string, name: string, policyName: string) => {
    const entity = find(kind, account, name)
    if (entity.inline[policyName] === undefined) throw iamErrors.noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`)
    delete entity.inline[policyName]
    save(kind, entity)
  }
  const listInline = (kind: Kind, account: string, name: string, input: { Marker?: string; MaxItems?: number }) => {
    const { page, ...rest } = paginate(Object.keys(find(kind, account, name).inline).sort(), input.Marker, input.MaxItems)
    return { PolicyNames: page, ...rest }
  }
  return {
    AttachUserPolicy: (input, ctx) => attach('user', ctx.caller.account, input.UserName, input.PolicyArn),
    AttachGroupPolicy: (input, ctx) => attach('group', ctx.caller.account, input.GroupName, input.PolicyArn),
    AttachRolePolicy: (input, ctx) => attach('role', ctx.caller.account, input.RoleName, input.PolicyArn),
    DetachUserPolicy: (input, ctx) => detach('user', ctx.caller.account, input.UserName, input.PolicyArn),
    DetachGroupPolicy: (input, ctx) => detach('group', ctx.caller.account, input.GroupName, input.PolicyArn),
    DetachRolePolicy: (input, ctx) => detach('role', ctx.caller.account, input.RoleName, input.PolicyArn),
    ListAttachedUserPolicies: (input, ctx) => listAttached('user', ctx.caller.account, input.UserName, input),
    ListAttachedGroupPolicies: (input, ctx) => listAttached('group', ctx.caller.account, input.GroupName, input),
    ListAttachedRolePolicies: (input, ctx) => listAttached('role', ctx.caller.account, input.RoleName, input),
    ListEntitiesForPolicy: (input, ctx) => {
      const account = ctx.caller.account
      if (!isAttachable(state, account, input.PolicyArn)) throw iamErrors.policyNotFound(input.PolicyArn)
      const has = (e: Entity) => e.account === account && e.attached.includes(input.PolicyArn) && underPrefix(e.path, input.PathPrefix)
      const filter = input.EntityFilter
      const wants = (kind: string) => filter === undefined || filter === kind
      return {
        PolicyUsers: wants('User') ? state.users.values().filter(has).map((u) => ({ UserName: u.name, UserId: u.id })) : [],
        PolicyGroups: wants('Group') ? state.groups.values().filter(has).map((g) => ({ GroupName: g.name, GroupId: g.id })) : [],
        PolicyRoles: wants('Role') ? state.roles.values().filter(has).map((r) => ({ RoleName: r.name, RoleId: r.id })) : [],
        IsTruncated: false,
      }
    },
    PutUserPolicy: (input, ctx) => put('user', ctx.caller.account, input.UserName, input.PolicyName, input.PolicyDocument),
    PutGroupPolicy: (input, ctx) => put('group', ctx.caller.account, input.GroupName, input.PolicyName, input.PolicyDocument),
    PutRolePolicy: (input, ctx) => put('role', ctx.caller.account, input.RoleName, input.PolicyName, input.PolicyDocument),
    GetUserPolicy: (input, ctx) => ({ UserName: input.UserName, ...getInline('user', ctx.caller.account, input.UserName, input.PolicyName) }),
    GetGroupPolicy: (input, ctx) => ({ GroupName: input.GroupName, ...getInline('group', ctx.caller.account, input.GroupName, input.PolicyName) }),
    GetRolePolicy: (input, ctx) => ({ RoleName: input.RoleName, ...getInline('role', ctx.caller.account, input.RoleName, input.PolicyName) }),
    DeleteUserPolicy: (input, ctx) => deleteInline('user', ctx.caller.account, input.UserName, input.PolicyName),
    DeleteGroupPolicy: (input, ctx) => deleteInline('group', ctx.caller.account, input.GroupName, input.PolicyName),
    DeleteRolePolicy: (input, ctx) => deleteInline('role', ctx.caller.account, input.RoleName, input.PolicyName),
    ListUserPolicies: (input, ctx) => listInline('user', ctx.caller.account, input.UserName, input),
    ListGroupPolicies: (input, ctx) => listInline('group', ctx.caller.account, input.GroupName, input),
    ListRolePolicies: (input, ctx) => listInline('role', ctx.caller.account, input.RoleName, input),
  }
}
