// GetAccount / UpdateAccount: API Gateway's per-account, per-region settings — the CloudWatch Logs
// role and the account's default throttle (10,000 requests per second, bursts of 5,000).
import type { ThrottleLimits } from '../../../core/api-account-throttle.ts'
import type { OperationContext } from '../../service.ts'
import type { OwnedRows } from '../../../storage/owned-rows.ts'
import type { AccountSettingsData } from '../account-resources/store.ts'
import type * as T from '../generated/types.ts'
import { apiGatewayErrors } from '../errors.ts'
import { applyPatches, memberRule } from './patch.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** `settings` one row per account and region, durable with a data dir (account-resources/store.ts). */
export function accountOperations(settings: OwnedRows<AccountSettingsData>, throttle: ThrottleLimits) {
  // The limits the account-level throttle enforces (Nimbus's apiGatewayAccountThrottle option, else AWS's default).
  const view = (s: AccountSettingsData | undefined): T.Account => ({
    cloudwatchRoleArn: s?.cloudwatchRoleArn, throttleSettings: { burstLimit: throttle.burstLimit, rateLimit: throttle.rateLimit },
    features: ['UsagePlans'], apiKeyVersion: '4',
  })
  const find = (ctx: OperationContext) => settings.get(`${ctx.caller.account}:${ctx.caller.region}`, ctx.caller.account, ctx.caller.region)

  const getAccount: Op<T.GetAccountRequest, T.Account> = (_input, ctx) => view(find(ctx))

  const updateAccount: Op<T.UpdateAccountRequest, T.Account> = (input, ctx) => {
    const { account, region } = ctx.caller
    const next: AccountSettingsData = { ...find(ctx), account, region, id: `${account}:${region}` }
    // The throttle is AWS's to set (through a quota increase): only the role is patchable.
    applyPatches(next, input.patchOperations, [
      memberRule('/cloudwatchRoleArn', (s: AccountSettingsData, v) => { s.cloudwatchRoleArn = v === '' ? undefined : String(v) }, 'string', (s) => s.cloudwatchRoleArn),
      // The usage plan guide's "migrate to default usage plans" call: every account has them already, so adding
      // `UsagePlans` changes nothing; another feature name is refused [R: the message].
      { path: '/features', ops: ['add'], kind: 'string', set: (_s: AccountSettingsData, v) => {
        if (v !== 'UsagePlans') throw apiGatewayErrors.badRequest(`Invalid feature specified: ${String(v)}`)
      } },
    ])
    // Written before the answer: a kill -9 after it keeps the role.
    settings.save(next)
    return view(next)
  }

  return { GetAccount: getAccount, UpdateAccount: updateAccount }
}
