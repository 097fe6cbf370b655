// Access keys (at most 2 per user; AKIA… ids that encode the account and resolve to it at the
// gateway), OpenID Connect providers and the account alias.
import { newAccessKeyId, newSecretAccessKey } from '../../../core/access-keys.ts'
import type { OperationTable } from '../../service.ts'
import { iamErrors } from '../errors.ts'
import type { iamOperations } from '../generated/types.ts'
import { checkTags, limits, mergeTags, removeTags, paginate } from '../names.ts'
import type { IamState, OidcProviderRecord } from '../store.ts'
import { requireUser } from './common.ts'

export function accountOperations(state: IamState): OperationTable<iamOperations> {
  /** Without UserName, access-key calls act on the calling user (root credentials have no user: AWS then manages root's keys; Nimbus asks for a name). */
  const userName = (name: string | undefined, accessKeyId: string): string => {
    if (name !== undefined) return name
    const own = state.accessKeys.get(accessKeyId)
    if (own === undefined) throw iamErrors.invalidInputValidation('Must specify userName when calling with non-User credentials')
    return own.userName
  }
  const requireKey = (account: string, user: string, id: string) => {
    const key = state.accessKeys.get(id)
    if (key === undefined || key.account !== account || key.userName !== user) {
      throw iamErrors.noSuchEntity(`The Access Key with id ${id} cannot be found.`)
    }
    return key
  }
  const requireOidc = (account: string, arn: string): OidcProviderRecord => {
    const provider = state.oidcProviders.get(arn)
    if (provider === undefined || provider.account !== account) throw iamErrors.noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`)
    return provider
  }
  return {
    CreateAccessKey: (input, ctx) => {
      const user = requireUser(state, ctx.caller.account, userName(input.UserName, ctx.caller.accessKeyId))
      const owned = state.accessKeys.values().filter((k) => k.account === user.account && k.userName === user.name)
      if (owned.length >= limits.accessKeysPerUser) throw iamErrors.limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${limits.accessKeysPerUser}`)
      const id = newAccessKeyId('AKIA', user.account)
      const key = state.accessKeys.save(id, { account: user.account, userName: user.name, id, secret: newSecretAccessKey(), status: 'Active',
        created: state.clock.now() })
      state.listKey(key)
      return { AccessKey: { UserName: user.name, AccessKeyId: key.id, Status: key.status, SecretAccessKey: key.secret, CreateDate: new Date(key.created) } }
    },
    ListAccessKeys: (input, ctx) => {
      const user = requireUser(state, ctx.caller.account, userName(input.UserName, ctx.caller.accessKeyId))
      const keys = state.accessKeys.values().filter((k) => k.account === user.account && k.userName === user.name)
      const { page, ...rest } = paginate(keys, input.Marker, input.MaxItems)
      return { AccessKeyMetadata: page.map((k) => ({ UserName: k.userName, AccessKeyId: k.id, Status: k.status, CreateDate: new Date(k.created) })), ...rest }
    },
    UpdateAccessKey: (input, ctx) => {
      const user = requireUser(state, ctx.caller.account, userName(input.UserName, ctx.caller.accessKeyId))
      const key = requireKey(user.account, user.name, input.AccessKeyId)
      key.status = input.Status === 'Active' ? 'Active' : 'Inactive'
      state.accessKeys.save(key.id, key)
      state.listKey(key)
    },
    DeleteAccessKey: (input, ctx) => {
      const user = requireUser(state, ctx.caller.account, userName(input.UserName, ctx.caller.accessKeyId))
      const key = requireKey(user.account, user.name, input.AccessKeyId)
      state.accessKeys.delete(key.id)
      state.directory.delete(key.id)
    },
    // Nimbus does not track use: every key reads as never used ("N/A", as AWS reports an unused key).
    GetAccessKeyLastUsed: (input, ctx) => {
      const key = state.accessKeys.get(input.AccessKeyId)
      if (key === undefined || key.account !== ctx.caller.account) throw iamErrors.noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`)
      return { UserName: key.userName, AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } }
    },

    CreateOpenIDConnectProvider: (input, ctx) => {
      let url: URL
      try {
        url = new URL(input.Url)
      } catch {
        throw iamErrors.invalidInput(`Invalid Open ID Connect Provider URL`)
      }
      if (url.protocol !== 'https:') throw iamErrors.invalidInput('Invalid Open ID Connect Provider URL')
      checkTags(input.Tags)
      for (const thumbprint of input.ThumbprintList ?? []) {
        if (thumbprint.length !== 40) throw iamErrors.constraint('thumbprintList', thumbprint, 'Member must have length less than or equal to 40')
      }
      const host = `${url.host}${url.pathname === '/' ? '' : url.pathname}`
      const arn = `arn:aws:iam::${ctx.caller.account}:oidc-provider/${host}`
      if (state.oidcProviders.get(arn) !== undefined) throw iamErrors.alreadyExists(`Provider with url ${input.Url} already exists.`)
      state.oidcProviders.save(arn, { account: ctx.caller.account, arn, url: host, clientIds: input.ClientIDList ?? [],
        thumbprints: input.ThumbprintList ?? [], created: state.clock.now(), tags: input.Tags ?? [] })
      return { OpenIDConnectProviderArn: arn, ...(input.Tags !== undefined && input.Tags.length > 0 && { Tags: input.Tags }) }
    },
    GetOpenIDConnectProvider: (input, ctx) => {
      const provider = requireOidc(ctx.caller.account, input.OpenIDConnectProviderArn)
      return { Url: provider.url, ClientIDList: provider.clientIds, ThumbprintList: provider.thumbprints, CreateDate: new Date(provider.created),
        ...(provider.tags.length > 0 && { Tags: provider.tags }) }
    },
    ListOpenIDConnectProviders: (_input, ctx) => ({
      OpenIDConnectProviderList: state.oidcProviders.values().filter((p) => p.account === ctx.caller.account).map((p) => ({ Arn: p.arn })),
    }),
    DeleteOpenIDConnectProvider: (input, ctx) => {
      // AWS answers success for a provider that doesn't exist only when it never did; Nimbus answers NoSuchEntity as for a wrong ARN.
      state.oidcProviders.delete(requireOidc(ctx.caller.account, input.OpenIDConnectProviderArn).arn)
    },
    AddClientIDToOpenIDConnectProvider: (input, ctx) => {
      const provider = requireOidc(ctx.caller.account, input.OpenIDConnectProviderArn)
      if (!provider.clientIds.includes(input.ClientID)) provider.clientIds.push(input.ClientID)
      state.oidcProviders.save(provider.arn, provider)
    },
    RemoveClientIDFromOpenIDConnectProvider: (input, ctx) => {
      const provider = requireOidc(ctx.caller.account, input.OpenIDConnectProviderArn)
      provider.clientIds = provider.clientIds.filter((id) => id !== input.ClientID)
      state.oidcProviders.save(provider.arn, provider)
    },
    UpdateOpenIDConnectProviderThumbprint: (input, ctx) => {
      const provider = requireOidc(ctx.caller.account, input.OpenIDConnectProviderArn)
      provider.thumbprints = input.ThumbprintList
      state.oidcProviders.save(provider.arn, provider)
    },
    TagOpenIDConnectProvider: (input, ctx) => {
      const provider = requireOidc(ctx.caller.account, input.OpenIDConnectProviderArn)
      provider.tags = mergeTags(provider.tags, input.Tags)
      state.oidcProviders.save(provider.arn, provider)
    },
    UntagOpenIDConnectProvider: (input, ctx) => {
      const provider = requireOidc(ctx.caller.account, input.OpenIDConnectProviderArn)
      provider.tags = removeTags(provider.tags, input.TagKeys)
      state.oidcProviders.save(provider.arn, provider)
    },
    ListOpenIDConnectProviderTags: (input, ctx) => ({ Tags: requireOidc(ctx.caller.account, input.OpenIDConnectProviderArn).tags, IsTruncated: false }),

    // Counts of the account's entities beside AWS's default quotas.
    GetAccountSummary: (_input, ctx) => {
      const mine = <T extends { account: string }>(items: T[]) => items.filter((item) => item.account === ctx.caller.account)
      const policies = mine(state.policies.values())
      const attached = [...mine(state.users.values()), ...mine(state.groups.values()), ...mine(state.roles.values())].flatMap((e) => e.attached)
      return { SummaryMap: {
        Users: mine(state.users.values()).length, UsersQuota: 5000, Groups: mine(state.groups.values()).length, GroupsQuota: 300,
        Roles: mine(state.roles.values()).length, RolesQuota: 1000, Policies: policies.length, PoliciesQuota: 1500,
        InstanceProfiles: mine(state.instanceProfiles.values()).length, InstanceProfilesQuota: 1000,
        Providers: mine(state.oidcProviders.values()).length, PolicyVersionsInUse: attached.length, PolicyVersionsInUseQuota: 10_000,
        VersionsPerPolicyQuota: limits.policyVersions, AccessKeysPerUserQuota: limits.accessKeysPerUser, AttachedPoliciesPerUserQuota: 10,
        AttachedPoliciesPerGroupQuota: 10, AttachedPoliciesPerRoleQuota: 10, PolicySizeQuota: 6144, UserPolicySizeQuota: 2048,
        GroupPolicySizeQuota: 5120, RolePolicySizeQuota: 10_240, AssumeRolePolicySizeQuota: 2048, GroupsPerUserQuota: 10,
        ServerCertificates: 0, ServerCertificatesQuota: 20, SigningCertificatesPerUserQuota: 2, MFADevices: 0, MFADevicesInUse: 0,
        AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, AccountPasswordPresent: 0, AccountSigningCertificatesPresent: 0,
        GlobalEndpointTokenVersion: 1,
      } }
    },

    // An account has at most one alias: lowercase letters, digits and hyphens, 3–63 characters, unique across accounts.
    CreateAccountAlias: (input, ctx) => {
      const alias = input.AccountAlias
      if (alias.length < 3 || alias.length > 63) throw iamErrors.constraint('accountAlias', alias, alias.length < 3
        ? 'Member must have length greater than or equal to 3' : 'Member must have length less than or equal to 63')
      if (!/^[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]$/.test(alias)) {
        throw iamErrors.constraint('accountAlias', alias, 'Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$')
      }
      const holder = state.aliases.entries().find(([, a]) => a === alias)
      if (holder !== undefined && holder[0] !== ctx.caller.account) throw iamErrors.alreadyExists(`The account alias ${alias} already exists.`)
      state.aliases.save(ctx.caller.account, alias)
    },
    ListAccountAliases: (_input, ctx) => {
      const alias = state.aliases.get(ctx.caller.account)
      return { AccountAliases: alias === undefined ? [] : [alias], IsTruncated: false }
    },
    DeleteAccountAlias: (input, ctx) => {
      if (state.aliases.get(ctx.caller.account) !== input.AccountAlias) throw iamErrors.noSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`)
      state.aliases.delete(ctx.caller.account)
    },
  }
}
