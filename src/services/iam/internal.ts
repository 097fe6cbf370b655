// IAM's port (port.ts) implemented over its state.
import { awsManagedPolicy } from './aws-managed-policies.ts'
import type { IamPort } from './port.ts'
import { type IamState, nameKey, type Permissions } from './store.ts'

export function createIamPort(state: IamState): IamPort {
  /** An entity's inline documents and its attached managed policies' default versions. */
  const documents = (entity: Permissions & { account: string }): string[] => [
    ...Object.values(entity.inline),
    ...entity.attached.flatMap((arn) => managedDocument(state, arn)),
  ]
  return {
    role: (arn) => {
      // arn:aws:iam::<account>:role/<path><name>: the name is the last segment.
      const match = /^arn:aws:iam::(\d{12}):role(\/.*)?\/([^/]+)$/.exec(arn)
      if (match === null) return undefined
      const role = state.roles.get(nameKey(match[1]!, match[3]!))
      if (role === undefined) return undefined
      return {
        account: role.account, name: role.name, arn: `arn:aws:iam::${role.account}:role${role.path}${role.name}`, roleId: role.id,
        maxSessionDuration: role.maxSessionDuration, assumeRolePolicyDocument: role.trustPolicy,
      }
    },
    instanceProfile: (account, nameOrArn) => {
      // arn:aws:iam::<account>:instance-profile/<path><name>: the name is the last segment.
      const name = nameOrArn.startsWith('arn:') ? /:instance-profile\/(?:.*\/)?([^/]+)$/.exec(nameOrArn)?.[1] : nameOrArn
      const profile = name === undefined ? undefined : state.instanceProfiles.get(nameKey(account, name))
      if (profile === undefined) return undefined
      return { arn: `arn:aws:iam::${profile.account}:instance-profile${profile.path}${profile.name}`, id: profile.id, roleName: profile.roles[0] }
    },
    identityPolicies: (principalArn) => {
      const user = /^arn:aws:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(principalArn)
      if (user !== null) {
        const record = state.users.get(nameKey(user[1]!, user[2]!))
        if (record === undefined) return undefined
        const groups = state.groups.values().filter((g) => g.account === record.account && g.members.includes(record.name))
        const boundary = record.permissionsBoundary === undefined ? undefined : managedDocument(state, record.permissionsBoundary)[0]
        return { policies: [...documents(record), ...groups.flatMap(documents)], ...(boundary !== undefined && { boundary }) }
      }
      const role = /^arn:aws:(?:iam::(\d{12}):role\/(?:.*\/)?([^/]+)|sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+)$/.exec(principalArn)
      if (role === null) return undefined
      const record = state.roles.get(nameKey(role[1] ?? role[3]!, role[2] ?? role[4]!))
      if (record === undefined) return undefined
      const boundary = record.permissionsBoundary === undefined ? undefined : managedDocument(state, record.permissionsBoundary)[0]
      return { policies: documents(record), ...(boundary !== undefined && { boundary }) }
    },
  }
}

function managedDocument(state: IamState, arn: string): string[] {
  const aws = awsManagedPolicy(arn)
  if (aws !== undefined) return [aws.document]
  const policy = state.policies.get(arn)
  const version = policy?.versions.find((v) => v.id === policy.defaultVersion)
  return version === undefined ? [] : [version.document]
}
