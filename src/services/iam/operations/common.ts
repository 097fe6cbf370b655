// What IAM's operations share: ARNs (global: no region), lookups that answer NoSuchEntity in AWS's
// words, the shapes Get/List answer with, and policy documents checked and URL-encoded as AWS does.
import { newAccessKeyId } from '../../../core/access-keys.ts'
import { MalformedPolicy, parsePolicy, type PolicyKind } from '../../../policy/document.ts'
import { iamErrors } from '../errors.ts'
import type { Group, InstanceProfile, Role, User } from '../generated/types.ts'
import { type GroupRecord, type IamState, type InstanceProfileRecord, nameKey, type RoleRecord, type UserRecord } from '../store.ts'

export const arnOf = (account: string, kind: string, path: string, name: string): string => `arn:aws:iam::${account}:${kind}${path}${name}`

/** Ids as AWS makes them: a 4-letter prefix by kind (AIDA user, AGPA group, AROA role, ANPA policy, AIPA instance profile) and 17 characters. */
export const newId = (prefix: 'AIDA' | 'AGPA' | 'AROA' | 'ANPA' | 'AIPA', account: string): string =>
  newAccessKeyId(prefix, account) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.charAt(Math.floor(Math.random() * 32))

export function requireUser(state: IamState, account: string, name: string): UserRecord {
  return state.users.get(nameKey(account, name)) ?? iamThrow(iamErrors.notFound('user', name))
}

export function requireGroup(state: IamState, account: string, name: string): GroupRecord {
  return state.groups.get(nameKey(account, name)) ?? iamThrow(iamErrors.notFound('group', name))
}

export function requireRole(state: IamState, account: string, name: string): RoleRecord {
  return state.roles.get(nameKey(account, name)) ?? iamThrow(iamErrors.notFound('role', name))
}

export function requireInstanceProfile(state: IamState, account: string, name: string): InstanceProfileRecord {
  return state.instanceProfiles.get(nameKey(account, name)) ?? iamThrow(iamErrors.notFound('instance profile', name))
}

export function iamThrow(error: Error): never {
  throw error
}

export function userShape(user: UserRecord, withTags = false): User {
  return {
    Path: user.path, UserName: user.name, UserId: user.id, Arn: arnOf(user.account, 'user', user.path, user.name), CreateDate: new Date(user.created),
    ...(user.permissionsBoundary !== undefined && { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: user.permissionsBoundary } }),
    ...(withTags && user.tags.length > 0 && { Tags: user.tags }),
  }
}

export function groupShape(group: GroupRecord): Group {
  return { Path: group.path, GroupName: group.name, GroupId: group.id, Arn: arnOf(group.account, 'group', group.path, group.name), CreateDate: new Date(group.created) }
}

/** GetRole answers with the trust policy (URL-encoded), tags and MaxSessionDuration; ListRoles lists less (AWS omits tags there). */
export function roleShape(role: RoleRecord, full = false): Role {
  return {
    Path: role.path, RoleName: role.name, RoleId: role.id, Arn: arnOf(role.account, 'role', role.path, role.name),
    CreateDate: new Date(role.created), AssumeRolePolicyDocument: encodeURIComponent(role.trustPolicy),
    ...(role.description !== undefined && { Description: role.description }),
    MaxSessionDuration: role.maxSessionDuration,
    ...(role.permissionsBoundary !== undefined && { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: role.permissionsBoundary } }),
    ...(full && role.tags.length > 0 && { Tags: role.tags }),
    ...(full && { RoleLastUsed: {} }),
  }
}

export function instanceProfileShape(state: IamState, profile: InstanceProfileRecord): InstanceProfile {
  return {
    Path: profile.path, InstanceProfileName: profile.name, InstanceProfileId: profile.id,
    Arn: arnOf(profile.account, 'instance-profile', profile.path, profile.name), CreateDate: new Date(profile.created),
    Roles: profile.roles.flatMap((name) => {
      const role = state.roles.get(nameKey(profile.account, name))
      return role === undefined ? [] : [roleShape(role)]
    }),
    ...(profile.tags.length > 0 && { Tags: profile.tags }),
  }
}

/**
 * A policy document as IAM accepts it: AWS's grammar (MalformedPolicyDocument) and size quota, counted
 * without whitespace. Documents arrive form-decoded; they are kept as sent.
 */
export function checkDocument(text: string, kind: PolicyKind, maxSize: number, tooLarge: () => Error): string {
  try {
    parsePolicy(text, kind)
  } catch (error) {
    if (error instanceof MalformedPolicy) throw iamErrors.malformedPolicy(error.message)
    throw error
  }
  if (text.replace(/\s/g, '').length > maxSize) throw tooLarge()
  return text
}

/** Documents in responses are URL-encoded, as AWS sends them (boto3 decodes them; SDK v3 users call decodeURIComponent). */
export const encodedDocument = (text: string): string => encodeURIComponent(text)
