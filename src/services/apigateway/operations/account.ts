// GetAccount / UpdateAccount: API Gateway's per-account, per-region settings — the CloudWatch Logs
// role and the account's default throttle (10,000 requests per second, bursts of 5,000).
import type { ThrottleLimits } from '../../../core/api-account-throttle.ts'
import type { OperationContext } from '../../service.ts'
import type * as T from '../generated/types.ts'
import { applyPatches, memberRule } from './patch.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

export interface AccountSettings { cloudwatchRoleArn?: string }

/** `settings` by `account:region`, in memory (README Gaps). */
export function accountOperations(settings: Map<string, AccountSettings>, throttle: ThrottleLimits) {
  // The limits the account-level throttle enforces (Nimbus's apiGatewayAccountThrottle option, else AWS's default).
  const view = (s: AccountSettings): T.Account => ({
    cloudwatchRoleArn: s.cloudwatchRoleArn, throttleSettings: { burstLimit: throttle.burstLimit, rateLimit: throttle.rateLimit },
    features: ['UsagePlans'], apiKeyVersion: '4',
  })
  const key = (ctx: OperationContext) => `${ctx.caller.account}:${ctx.caller.region}`

  const getAccount: Op<T.GetAccountRequest, T.Account> = (_input, ctx) => view(settings.get(key(ctx)) ?? {})

  const updateAccount: Op<T.UpdateAccountRequest, T.Account> = (input, ctx) => {
    const next = { ...settings.get(key(ctx)) }
    // The throttle is AWS's to set (through a quota increase): only the role is patchable.
    applyPatches(next, input.patchOperations, [
      memberRule('/cloudwatchRoleArn', (s: AccountSettings, v) => { s.cloudwatchRoleArn = v === '' ? undefined : String(v) }, 'string', (s) => s.cloudwatchRoleArn),
    ])
    settings.set(key(ctx), next)
    return view(next)
  }

  return { GetAccount: getAccount, UpdateAccount: updateAccount }
}
