// Managed policies: customer policies (create, up to 5 versions, default version, tags) and AWS's
// catalog (aws-managed-policies.ts), read alike by GetPolicy/GetPolicyVersion/ListPolicies.
import type { OperationTable } from '../../service.ts'
import { awsManagedPolicies, awsManagedPolicy, type AwsManagedPolicy } from '../aws-managed-policies.ts'
import { iamErrors } from '../errors.ts'
import type { iamOperations, Policy } from '../generated/types.ts'
import { checkName, checkPath, checkTags, limits, mergeTags, removeTags, paginate, underPrefix } from '../names.ts'
import type { IamState, PolicyRecord } from '../store.ts'
import { arnOf, checkDocument, encodedDocument, newId } from './common.ts'

/** A managed policy document may take 6,144 characters, whitespace not counted. */
const MANAGED_POLICY_SIZE = 6144

/** Every entity (user, group, role) of the account that has the policy attached. */
export function attachmentCount(state: IamState, account: string, arn: string): number {
  return [...state.users.values(), ...state.groups.values(), ...state.roles.values()]
    .filter((entity) => entity.account === account && entity.attached.includes(arn)).length
}

function customerShape(state: IamState, policy: PolicyRecord, withTags: boolean): Policy {
  return {
    PolicyName: policy.name, PolicyId: policy.id, Arn: policy.arn, Path: policy.path, DefaultVersionId: policy.defaultVersion,
    AttachmentCount: attachmentCount(state, policy.account, policy.arn), PermissionsBoundaryUsageCount: 0, IsAttachable: true,
    ...(policy.description !== undefined && { Description: policy.description }),
    CreateDate: new Date(policy.created), UpdateDate: new Date(policy.updated),
    ...(withTags && policy.tags.length > 0 && { Tags: policy.tags }),
  }
}

function awsShape(state: IamState, account: string, policy: AwsManagedPolicy): Policy {
  return {
    PolicyName: policy.name, PolicyId: policy.id, Arn: policy.arn, Path: policy.path, DefaultVersionId: policy.versionId,
    AttachmentCount: attachmentCount(state, account, policy.arn), PermissionsBoundaryUsageCount: 0, IsAttachable: true,
    Description: policy.description, CreateDate: new Date(policy.created), UpdateDate: new Date(policy.created),
  }
}

export function requirePolicy(state: IamState, arn: string): PolicyRecord {
  const policy = state.policies.get(arn)
  if (policy === undefined) throw iamErrors.policyNotFound(arn)
  return policy
}

function checkArn(arn: string): void {
  if (arn.length < 20) throw iamErrors.constraint('policyArn', arn, 'Member must have length greater than or equal to 20')
  if (!arn.startsWith('arn:')) throw iamErrors.invalidInput(`ARN ${arn} is not valid.`)
}

function managedDocument(text: string): string {
  return checkDocument(text, 'identity', MANAGED_POLICY_SIZE, () => iamErrors.limitExceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY_SIZE}`))
}

export function policyOperations(state: IamState): OperationTable<iamOperations> {
  const now = () => state.clock.now()
  /** A customer policy of the caller's account, or AWS's own (read-only). */
  const anyPolicy = (arn: string, account: string): { customer?: PolicyRecord; aws?: AwsManagedPolicy } => {
    checkArn(arn)
    const aws = awsManagedPolicy(arn)
    if (aws !== undefined) return { aws }
    const customer = state.policies.get(arn)
    if (customer === undefined || customer.account !== account) throw iamErrors.policyNotFound(arn)
    return { customer }
  }
  const awsReadOnly = (arn: string) => iamErrors.invalidInput(`The policy ${arn} is an AWS managed policy and cannot be modified.`)
  return {
    CreatePolicy: (input, ctx) => {
      checkName('policyName', input.PolicyName, limits.policyName)
      const path = checkPath('path', input.Path)
      checkTags(input.Tags)
      const document = managedDocument(input.PolicyDocument)
      const account = ctx.caller.account
      const arn = arnOf(account, 'policy', path, input.PolicyName)
      if (state.policies.values().some((p) => p.account === account && p.name.toLowerCase() === input.PolicyName.toLowerCase())) {
        throw iamErrors.alreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`)
      }
      const created = now()
      const policy = state.policies.save(arn, {
        account, arn, name: input.PolicyName, path, id: newId('ANPA', account), created, updated: created, defaultVersion: 'v1',
        versions: [{ id: 'v1', document, created }], nextVersion: 2, tags: input.Tags ?? [],
        ...(input.Description !== undefined && { description: input.Description }),
      })
      return { Policy: customerShape(state, policy, true) }
    },
    GetPolicy: (input, ctx) => {
      const { customer, aws } = anyPolicy(input.PolicyArn, ctx.caller.account)
      return { Policy: aws !== undefined ? awsShape(state, ctx.caller.account, aws) : customerShape(state, customer!, true) }
    },
    ListPolicies: (input, ctx) => {
      const account = ctx.caller.account
      const scope = input.Scope ?? 'All'
      const all: Policy[] = [
        ...(scope === 'Local' ? [] : awsManagedPolicies().map((p) => awsShape(state, account, p))),
        ...(scope === 'AWS' ? [] : state.policies.values().filter((p) => p.account === account).map((p) => customerShape(state, p, false))),
      ].filter((p) => underPrefix(p.Path!, input.PathPrefix) && (input.OnlyAttached !== true || p.AttachmentCount! > 0))
      const { page, ...rest } = paginate(all, input.Marker, input.MaxItems)
      return { Policies: page, ...rest }
    },
    DeletePolicy: (input, ctx) => {
      const { customer } = anyPolicy(input.PolicyArn, ctx.caller.account)
      if (customer === undefined) throw awsReadOnly(input.PolicyArn)
      if (attachmentCount(state, customer.account, customer.arn) > 0) throw iamErrors.deleteConflict('Cannot delete a policy attached to entities.')
      if (customer.versions.length > 1) {
        throw iamErrors.deleteConflict('This policy has more than one version. Before you delete a policy, you must delete the policy\'s versions. The default version is deleted with the policy.')
      }
      state.policies.delete(customer.arn)
    },
    CreatePolicyVersion: (input, ctx) => {
      const { customer } = anyPolicy(input.PolicyArn, ctx.caller.account)
      if (customer === undefined) throw awsReadOnly(input.PolicyArn)
      const document = managedDocument(input.PolicyDocument)
      if (customer.versions.length >= limits.policyVersions) {
        throw iamErrors.limitExceeded('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.')
      }
      const version = { id: `v${customer.nextVersion}`, document, created: now() }
      customer.nextVersion += 1
      customer.versions.push(version)
      if (input.SetAsDefault === true) customer.defaultVersion = version.id
      customer.updated = version.created
      state.policies.save(customer.arn, customer)
      return { PolicyVersion: { VersionId: version.id, IsDefaultVersion: customer.defaultVersion === version.id, CreateDate: new Date(version.created) } }
    },
    GetPolicyVersion: (input, ctx) => {
      const { customer, aws } = anyPolicy(input.PolicyArn, ctx.caller.account)
      const notFound = () => iamErrors.noSuchEntity(`Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`)
      if (aws !== undefined) {
        if (input.VersionId !== aws.versionId) throw notFound()
        return { PolicyVersion: { Document: encodedDocument(aws.document), VersionId: aws.versionId, IsDefaultVersion: true, CreateDate: new Date(aws.created) } }
      }
      const version = customer!.versions.find((v) => v.id === input.VersionId)
      if (version === undefined) throw notFound()
      return { PolicyVersion: { Document: encodedDocument(version.document), VersionId: version.id,
        IsDefaultVersion: version.id === customer!.defaultVersion, CreateDate: new Date(version.created) } }
    },
    ListPolicyVersions: (input, ctx) => {
      const { customer, aws } = anyPolicy(input.PolicyArn, ctx.caller.account)
      const versions = aws !== undefined
        ? [{ VersionId: aws.versionId, IsDefaultVersion: true, CreateDate: new Date(aws.created) }]
        // AWS lists the newest version first.
        : [...customer!.versions].reverse().map((v) => ({ VersionId: v.id, IsDefaultVersion: v.id === customer!.defaultVersion, CreateDate: new Date(v.created) }))
      const { page, ...rest } = paginate(versions, input.Marker, input.MaxItems)
      return { Versions: page, ...rest }
    },
    DeletePolicyVersion: (input, ctx) => {
      const { customer } = anyPolicy(input.PolicyArn, ctx.caller.account)
      if (customer === undefined) throw awsReadOnly(input.PolicyArn)
      const version = customer.versions.find((v) => v.id === input.VersionId)
      if (version === undefined) throw iamErrors.noSuchEntity(`Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`)
      if (version.id === customer.defaultVersion) throw iamErrors.deleteConflict('Cannot delete the default version of a policy.')
      customer.versions = customer.versions.filter((v) => v !== version)
      state.policies.save(customer.arn, customer)
    },
    SetDefaultPolicyVersion: (input, ctx) => {
      const { customer } = anyPolicy(input.PolicyArn, ctx.caller.account)
      if (customer === undefined) throw awsReadOnly(input.PolicyArn)
      if (!customer.versions.some((v) => v.id === input.VersionId)) {
        throw iamErrors.noSuchEntity(`Policy ${input.PolicyArn} version ${input.VersionId} does not exist or is not attachable.`)
      }
      customer.defaultVersion = input.VersionId
      customer.updated = now()
      state.policies.save(customer.arn, customer)
    },
    TagPolicy: (input, ctx) => {
      const { customer } = anyPolicy(input.PolicyArn, ctx.caller.account)
      if (customer === undefined) throw awsReadOnly(input.PolicyArn)
      customer.tags = mergeTags(customer.tags, input.Tags)
      state.policies.save(customer.arn, customer)
    },
    UntagPolicy: (input, ctx) => {
      const { customer } = anyPolicy(input.PolicyArn, ctx.caller.account)
      if (customer === undefined) throw awsReadOnly(input.PolicyArn)
      customer.tags = removeTags(customer.tags, input.TagKeys)
      state.policies.save(customer.arn, customer)
    },
    ListPolicyTags: (input, ctx) => {
      const { customer } = anyPolicy(input.PolicyArn, ctx.caller.account)
      const { page, ...rest } = paginate(customer?.tags ?? [], input.Marker, input.MaxItems)
      return { Tags: page, ...rest }
    },
  }
}

/** Whether `arn` names a policy that can be attached in `account` (the caller's own or AWS's). */
export function isAttachable(state: IamState, account: string, arn: string): boolean {
  return awsManagedPolicy(arn) !== undefined || state.policies.get(arn)?.account === account
}
