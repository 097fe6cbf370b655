// GetCallerIdentity and GetAccessKeyInfo: who a key is. Keys Nimbus issued (IAM users', sessions')
// answer as their principal; any other key (`test`, a 12-digit account id) is its account's root,
// shaped as AWS answers root credentials: UserId = the account id, Arn `arn:aws:iam::<account>:root`.
import { type AccessKeyLookup, accountOfAccessKeyId, type KeyPrincipal } from '../../../core/access-keys.ts'
import type { Caller, OperationTable } from '../../service.ts'
import { stsErrors } from '../errors.ts'
import type { stsOperations } from '../generated/types.ts'

export function callerPrincipal(keys: AccessKeyLookup, caller: Caller): KeyPrincipal {
  return keys.principal(caller.accessKeyId) ?? { account: caller.account, arn: `arn:aws:iam::${caller.account}:root`, userId: caller.account }
}

export function identityOperations(keys: AccessKeyLookup): OperationTable<stsOperations> {
  return {
    GetCallerIdentity: (_input, ctx) => {
      const principal = callerPrincipal(keys, ctx.caller)
      return { UserId: principal.userId, Account: principal.account, Arn: principal.arn }
    },
    // AWS decodes the account from the key id itself, for any key, whether or not it exists.
    GetAccessKeyInfo: (input, ctx) => {
      const id = input.AccessKeyId
      if (id.length < 16 || id.length > 128) {
        throw stsErrors.constraint('accessKeyId', id, id.length < 16
          ? 'Member must have length greater than or equal to 16' : 'Member must have length less than or equal to 128')
      }
      if (!/^[\w]+$/.test(id)) throw stsErrors.constraint('accessKeyId', id, 'Member must satisfy regular expression pattern: [\\w]*')
      return { Account: keys.principal(id)?.account ?? accountOfAccessKeyId(id) ?? ctx.caller.account }
    },
  }
}
