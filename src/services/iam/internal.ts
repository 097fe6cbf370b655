// IAM's port (port.ts) implemented over its state.
import type { IamPort } from './port.ts'
import { type IamState, nameKey } from './store.ts'

export function createIamPort(state: IamState): IamPort {
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
  }
}
