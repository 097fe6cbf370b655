// IAM's state, per account (IAM is global: no region in its keys or ARNs). Each entity kind is a
// Collection keyed `<account>/<name>` (policies and OIDC providers by ARN, access keys by id).
import type { AccessKeyDirectory } from '../../core/access-keys.ts'
import type { Clock } from '../../core/clock.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { Collection } from './collection.ts'

export type Tags = { Key: string; Value: string }[]

/** Inline policies by name (documents as sent, decoded) and attached managed policies' ARNs. */
export interface Permissions {
  inline: Record<string, string>
  attached: string[]
}

export interface UserRecord extends Permissions {
  account: string
  name: string
  path: string
  id: string
  created: number
  tags: Tags
  permissionsBoundary?: string
}

export interface GroupRecord extends Permissions {
  account: string
  name: string
  path: string
  id: string
  created: number
  /** Member user names, in the order they joined. */
  members: string[]
}

export interface RoleRecord extends Permissions {
  account: string
  name: string
  path: string
  id: string
  created: number
  trustPolicy: string
  description?: string
  maxSessionDuration: number
  tags: Tags
  permissionsBoundary?: string
}

export interface PolicyVersionRecord {
  id: string
  document: string
  created: number
}

export interface PolicyRecord {
  account: string
  arn: string
  name: string
  path: string
  id: string
  created: number
  updated: number
  description?: string
  defaultVersion: string
  versions: PolicyVersionRecord[]
  /** The next version number (v1, v2… never reused). */
  nextVersion: number
  tags: Tags
}

export interface AccessKeyRecord {
  account: string
  userName: string
  id: string
  secret: string
  status: 'Active' | 'Inactive'
  created: number
}

export interface InstanceProfileRecord {
  account: string
  name: string
  path: string
  id: string
  created: number
  roles: string[]
  tags: Tags
}

export interface OidcProviderRecord {
  account: string
  arn: string
  url: string
  clientIds: string[]
  thumbprints: string[]
  created: number
  tags: Tags
}

export class IamState {
  readonly users: Collection<UserRecord>
  readonly groups: Collection<GroupRecord>
  readonly roles: Collection<RoleRecord>
  readonly policies: Collection<PolicyRecord>
  readonly accessKeys: Collection<AccessKeyRecord>
  readonly instanceProfiles: Collection<InstanceProfileRecord>
  readonly oidcProviders: Collection<OidcProviderRecord>
  /** Account → its alias (an account has at most one). */
  readonly aliases: Collection<string>

  readonly clock: Clock
  readonly directory: AccessKeyDirectory

  constructor(clock: Clock, directory: AccessKeyDirectory, persistence?: Persistence) {
    this.clock = clock
    this.directory = directory
    this.users = new Collection(persistence, 'iam_users')
    this.groups = new Collection(persistence, 'iam_groups')
    this.roles = new Collection(persistence, 'iam_roles')
    this.policies = new Collection(persistence, 'iam_policies')
    this.accessKeys = new Collection(persistence, 'iam_access_keys')
    this.instanceProfiles = new Collection(persistence, 'iam_instance_profiles')
    this.oidcProviders = new Collection(persistence, 'iam_oidc_providers')
    this.aliases = new Collection(persistence, 'iam_account_aliases')
    for (const key of this.accessKeys.values()) this.listKey(key)
  }

  /** Lists a user's key in the access-key directory: requests signed with it act in the user's account. */
  listKey(key: AccessKeyRecord): void {
    const user = this.users.get(nameKey(key.account, key.userName))
    this.directory.set(key.id, {
      account: key.account, arn: `arn:aws:iam::${key.account}:user${user?.path ?? '/'}${key.userName}`, userId: user?.id ?? key.id,
      secretAccessKey: key.secret, ...(key.status === 'Inactive' && { inactive: true }),
    })
  }

  reset(): void {
    for (const key of this.accessKeys.values()) this.directory.delete(key.id)
    for (const collection of [this.users, this.groups, this.roles, this.policies, this.accessKeys, this.instanceProfiles,
      this.oidcProviders, this.aliases] as Collection<unknown>[]) collection.clear()
  }
}

/** IAM compares names case-insensitively for uniqueness (a user "Bob" blocks "bob"); keys use the lowercased name. */
export const nameKey = (account: string, name: string): string => `${account}/${name.toLowerCase()}`
