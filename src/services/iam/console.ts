// What the web console shows of IAM (services/console-view.ts): users and roles with their policies —
// inline documents and attached managed policies — and a role's trust policy. IAM is global: its
// resources list under every region, with the region `global`.
import { type ConsoleDetail, type ConsoleItem, type ConsoleView, isoTime } from '../console-view.ts'
import type { IamState, Permissions, RoleRecord, UserRecord } from './store.ts'

export function iamConsole(state: IamState): ConsoleView {
  return {
    list: (type) => type === 'user' ? state.users.values().map(userItem) : type === 'role' ? state.roles.values().map(roleItem) : [],
    detail: (type, id) => {
      if (type === 'user') {
        const user = state.users.values().find((u) => arnOf('user', u) === id || u.name === id)
        return user === undefined ? undefined : { item: userItem(user), sections: [...policySections(user), tags(user.tags)] }
      }
      const role = type === 'role' ? state.roles.values().find((r) => arnOf('role', r) === id || r.name === id) : undefined
      return role === undefined ? undefined : roleDetail(role)
    },
  }
}

function arnOf(kind: 'user' | 'role', r: { account: string; path: string; name: string }): string {
  return `arn:aws:iam::${r.account}:${kind}${r.path}${r.name}`
}

function userItem(u: UserRecord): ConsoleItem {
  const arn = arnOf('user', u)
  return { id: arn, name: u.name, arn, account: u.account, region: 'global',
    fields: { path: u.path, inlinePolicies: Object.keys(u.inline).length, attachedPolicies: u.attached.length, created: isoTime(u.created) } }
}

function roleItem(r: RoleRecord): ConsoleItem {
  const arn = arnOf('role', r)
  return { id: arn, name: r.name, arn, account: r.account, region: 'global',
    fields: { path: r.path, inlinePolicies: Object.keys(r.inline).length, attachedPolicies: r.attached.length, created: isoTime(r.created) } }
}

function roleDetail(r: RoleRecord): ConsoleDetail {
  return {
    item: roleItem(r),
    sections: [{ title: 'Trust policy', kind: 'json', data: parse(r.trustPolicy) }, ...policySections(r), tags(r.tags),
      { title: 'Role', kind: 'kv', data: { Arn: arnOf('role', r), RoleId: r.id, Description: r.description ?? null, MaxSessionDuration: r.maxSessionDuration } }],
  }
}

function policySections(p: Permissions): ConsoleDetail['sections'] {
  return [
    { title: 'Attached policies', kind: 'table', data: { columns: [{ key: 'arn', label: 'Policy ARN' }], rows: p.attached.map((arn) => ({ arn })) } },
    ...Object.entries(p.inline).map(([name, document]) => ({ title: `Inline policy ${name}`, kind: 'json' as const, data: parse(document) })),
  ]
}

function tags(list: Array<{ Key: string; Value: string }>): ConsoleDetail['sections'][number] {
  return { title: 'Tags', kind: 'kv', data: Object.fromEntries(list.map((t) => [t.Key, t.Value])) }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
