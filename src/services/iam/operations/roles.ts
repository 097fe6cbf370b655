// Roles (trust policies, MaxSessionDuration, description, tags), service-linked roles, and instance
// profiles with their role.
import type { OperationTable } from '../../service.ts'
import { iamErrors } from '../errors.ts'
import type { iamOperations } from '../generated/types.ts'
import { checkName, checkPath, checkTags, limits, mergeTags, removeTags, paginate, underPrefix } from '../names.ts'
import { type IamState, nameKey, type RoleRecord } from '../store.ts'
import { checkDocument, instanceProfileShape, newId, requireInstanceProfile, requireRole, roleShape } from './common.ts'

/** A trust policy may take 2,048 characters by default (AWS's quota, adjustable up to 4,096). */
const TRUST_POLICY_SIZE = 2048

function trustPolicy(text: string): string {
  return checkDocument(text, 'trust', TRUST_POLICY_SIZE,
    () => iamErrors.limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_SIZE}`))
}

function checkSessionDuration(value: number | undefined): number {
  if (value === undefined) return 3600
  if (value < limits.minSession) throw iamErrors.constraint('maxSessionDuration', value, 'Member must have value greater than or equal to 3600')
  if (value > limits.maxSession) throw iamErrors.constraint('maxSessionDuration', value, 'Member must have value less than or equal to 43200')
  return value
}

function checkDescription(value: string | undefined): void {
  if (value !== undefined && value.length > limits.roleDescription) {
    throw iamErrors.constraint('description', value, 'Member must have length less than or equal to 1000')
  }
}

export function roleOperations(state: IamState): OperationTable<iamOperations> {
  const save = (role: RoleRecord) => state.roles.save(nameKey(role.account, role.name), role)
  const createRole = (account: string, input: { RoleName: string; Path?: string; AssumeRolePolicyDocument: string; Description?: string;
    MaxSessionDuration?: number; PermissionsBoundary?: string; Tags?: { Key: string; Value: string }[] }): RoleRecord => {
    checkName('roleName', input.RoleName, limits.roleName)
    const path = checkPath('path', input.Path)
    checkDescription(input.Description)
    checkTags(input.Tags)
    const trust = trustPolicy(input.AssumeRolePolicyDocument)
    if (state.roles.get(nameKey(account, input.RoleName)) !== undefined) throw iamErrors.alreadyExists(`Role with name ${input.RoleName} already exists.`)
    return save({
      account, name: input.RoleName, path, id: newId('AROA', account), created: state.clock.now(), trustPolicy: trust,
      maxSessionDuration: checkSessionDuration(input.MaxSessionDuration), tags: input.Tags ?? [], inline: {}, attached: [],
      ...(input.Description !== undefined && { description: input.Description }),
      ...(input.PermissionsBoundary !== undefined && { permissionsBoundary: input.PermissionsBoundary }),
    })
  }
  return {
    CreateRole: (input, ctx) => ({ Role: roleShape(createRole(ctx.caller.account, input), true) }),
    GetRole: (input, ctx) => ({ Role: roleShape(requireRole(state, ctx.caller.account, input.RoleName), true) }),
    ListRoles: (input, ctx) => {
      const roles = state.roles.values().filter((r) => r.account === ctx.caller.account && underPrefix(r.path, input.PathPrefix))
      const { page, ...rest } = paginate(roles, input.Marker, input.MaxItems)
      return { Roles: page.map((r) => roleShape(r)), ...rest }
    },
    UpdateRole: (input, ctx) => {
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      checkDescription(input.Description)
      if (input.Description !== undefined) role.description = input.Description
      if (input.MaxSessionDuration !== undefined) role.maxSessionDuration = checkSessionDuration(input.MaxSessionDuration)
      save(role)
      return {}
    },
    UpdateRoleDescription: (input, ctx) => {
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      checkDescription(input.Description)
      role.description = input.Description
      save(role)
      return { Role: roleShape(role, true) }
    },
    UpdateAssumeRolePolicy: (input, ctx) => {
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      role.trustPolicy = trustPolicy(input.PolicyDocument)
      save(role)
    },
    DeleteRole: (input, ctx) => {
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      if (role.path.startsWith('/aws-service-role/')) {
        throw iamErrors.unmodifiable(`Cannot perform the operation on the protected role '${role.name}' - this role is only modifiable by AWS`)
      }
      deleteRole(state, role)
    },
    TagRole: (input, ctx) => {
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      role.tags = mergeTags(role.tags, input.Tags)
      save(role)
    },
    UntagRole: (input, ctx) => {
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      role.tags = removeTags(role.tags, input.TagKeys)
      save(role)
    },
    ListRoleTags: (input, ctx) => {
      const { page, ...rest } = paginate(requireRole(state, ctx.caller.account, input.RoleName).tags, input.Marker, input.MaxItems)
      return { Tags: page, ...rest }
    },
    // `AWSServiceRoleFor<Service>` under /aws-service-role/<service>/, trusted by that service.
    CreateServiceLinkedRole: (input, ctx) => {
      const service = input.AWSServiceName
      if (!/^[\w.-]+\.amazonaws\.com(\.cn)?$/.test(service)) throw iamErrors.invalidInput(`Unrecognized service principal: ${service}`)
      const base = service.split('.')[0]!
      const title = base.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')
      const name = `AWSServiceRoleFor${title}${input.CustomSuffix === undefined ? '' : `_${input.CustomSuffix}`}`
      const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] }] })
      const role = createRole(ctx.caller.account, {
        RoleName: name, Path: `/aws-service-role/${service}/`, AssumeRolePolicyDocument: trust,
        ...(input.Description !== undefined && { Description: input.Description }),
      })
      return { Role: roleShape(role, true) }
    },
    // AWS deletes asynchronously and reports a task; Nimbus deletes at once and the task reads SUCCEEDED.
    DeleteServiceLinkedRole: (input, ctx) => {
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      deleteRole(state, role, true)
      return { DeletionTaskId: `task/aws-service-role/${role.path.split('/')[2]}/${role.name}/${crypto.randomUUID()}` }
    },
    GetServiceLinkedRoleDeletionStatus: () => ({ Status: 'SUCCEEDED' }),

    CreateInstanceProfile: (input, ctx) => {
      checkName('instanceProfileName', input.InstanceProfileName, limits.instanceProfileName)
      const path = checkPath('path', input.Path)
      checkTags(input.Tags)
      const account = ctx.caller.account
      if (state.instanceProfiles.get(nameKey(account, input.InstanceProfileName)) !== undefined) {
        throw iamErrors.alreadyExists(`Instance Profile ${input.InstanceProfileName} already exists.`)
      }
      const profile = state.instanceProfiles.save(nameKey(account, input.InstanceProfileName), {
        account, name: input.InstanceProfileName, path, id: newId('AIPA', account), created: state.clock.now(), roles: [], tags: input.Tags ?? [],
      })
      return { InstanceProfile: instanceProfileShape(state, profile) }
    },
    GetInstanceProfile: (input, ctx) => ({ InstanceProfile: instanceProfileShape(state, requireInstanceProfile(state, ctx.caller.account, input.InstanceProfileName)) }),
    ListInstanceProfiles: (input, ctx) => {
      const profiles = state.instanceProfiles.values().filter((p) => p.account === ctx.caller.account && underPrefix(p.path, input.PathPrefix))
      const { page, ...rest } = paginate(profiles, input.Marker, input.MaxItems)
      return { InstanceProfiles: page.map((p) => instanceProfileShape(state, p)), ...rest }
    },
    ListInstanceProfilesForRole: (input, ctx) => {
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      const profiles = state.instanceProfiles.values().filter((p) => p.account === role.account && p.roles.includes(role.name))
      const { page, ...rest } = paginate(profiles, input.Marker, input.MaxItems)
      return { InstanceProfiles: page.map((p) => instanceProfileShape(state, p)), ...rest }
    },
    DeleteInstanceProfile: (input, ctx) => {
      const profile = requireInstanceProfile(state, ctx.caller.account, input.InstanceProfileName)
      if (profile.roles.length > 0) throw iamErrors.deleteConflict('Cannot delete entity, must remove roles from instance profile first.')
      state.instanceProfiles.delete(nameKey(profile.account, profile.name))
    },
    TagInstanceProfile: (input, ctx) => {
      const profile = requireInstanceProfile(state, ctx.caller.account, input.InstanceProfileName)
      profile.tags = mergeTags(profile.tags, input.Tags)
      state.instanceProfiles.save(nameKey(profile.account, profile.name), profile)
    },
    UntagInstanceProfile: (input, ctx) => {
      const profile = requireInstanceProfile(state, ctx.caller.account, input.InstanceProfileName)
      profile.tags = removeTags(profile.tags, input.TagKeys)
      state.instanceProfiles.save(nameKey(profile.account, profile.name), profile)
    },
    ListInstanceProfileTags: (input, ctx) => {
      const { page, ...rest } = paginate(requireInstanceProfile(state, ctx.caller.account, input.InstanceProfileName).tags, input.Marker, input.MaxItems)
      return { Tags: page, ...rest }
    },
    // An instance profile holds at most one role (AWS's quota).
    AddRoleToInstanceProfile: (input, ctx) => {
      const profile = requireInstanceProfile(state, ctx.caller.account, input.InstanceProfileName)
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      if (profile.roles.length >= 1) throw iamErrors.limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1')
      profile.roles.push(role.name)
      state.instanceProfiles.save(nameKey(profile.account, profile.name), profile)
    },
    RemoveRoleFromInstanceProfile: (input, ctx) => {
      const profile = requireInstanceProfile(state, ctx.caller.account, input.InstanceProfileName)
      const role = requireRole(state, ctx.caller.account, input.RoleName)
      if (!profile.roles.includes(role.name)) throw iamErrors.noSuchEntity(`The role with name ${role.name} cannot be found.`)
      profile.roles = profile.roles.filter((r) => r !== role.name)
      state.instanceProfiles.save(nameKey(profile.account, profile.name), profile)
    },
  }
}

/** A role goes once nothing holds on to it; a service-linked role takes its policies with it. */
function deleteRole(state: IamState, role: RoleRecord, serviceLinked = false): void {
  if (!serviceLinked) {
    if (state.instanceProfiles.values().some((p) => p.account === role.account && p.roles.includes(role.name))) {
      throw iamErrors.deleteConflict('Cannot delete entity, must remove roles from instance profile first.')
    }
    if (role.attached.length > 0) throw iamErrors.deleteConflict('Cannot delete entity, must detach all policies first.')
    if (Object.keys(role.inline).length > 0) throw iamErrors.deleteConflict('Cannot delete entity, must delete policies first.')
  }
  state.roles.delete(nameKey(role.account, role.name))
}
