// AWS_IAM methods: the request must be SigV4-signed (service `execute-api`) with credentials Nimbus
// knows — the gateway checks the signature (InvokeSignatureCheck) — and the caller becomes
// `$context.identity` (accountId, caller, user, userArn, accessKey). With `--enforce-iam` the caller's
// identity policies must allow `execute-api:Invoke` (action level, as Nimbus evaluates every call).
import type { InvokeSignatureCheck } from '../../service.ts'
import { methodArn } from '../../api-gateway-authorizer-policy.ts'
import { gatewayResponses, type ResponseIds } from './gateway-responses.ts'
import type { HttpResponse } from '../../../protocol/http.ts'
import type { InvokeContext } from './request-context.ts'
import { iamPolicyDenial } from './resource-policy.ts'

/** Undefined when the caller may go on (ctx.iamCaller set); else the answer that ends the request. */
export function iamAuthorize(check: InvokeSignatureCheck | undefined, ctx: InvokeContext, ids: ResponseIds): HttpResponse | undefined {
  const caller = check?.(ctx.request, 'Invoke') ?? { kind: 'anonymous' as const }
  // No signature at all: AWS's famous 403, as for an unknown path.
  if (caller.kind === 'anonymous') return gatewayResponses.missingToken(ids)
  if (caller.kind === 'refused') return gatewayResponses.signatureRefused(caller.error.code, caller.error.message, ids)
  // A deployed resource policy joins the identity policies' verdict (resource-policy.ts: AWS's Tables A and B).
  if (ctx.resourcePolicy !== undefined) {
    const refused = iamPolicyDenial(ctx, caller, caller.denied, ids)
    if (refused !== undefined) return refused
  } else if (caller.denied !== undefined) {
    const arn = methodArn(ctx.api.region, ctx.api.account, ctx.api.id, ctx.stage.stageName, ctx.request.method, ctx.target.path)
    // [R] AWS's wording for an IAM denial of execute-api:Invoke.
    const tail = caller.denied === 'explicit' ? ' with an explicit deny' : ''
    return gatewayResponses.iamDenied(`User: ${caller.arn} is not authorized to perform: execute-api:Invoke on resource: ${arn}${tail}`, ids)
  }
  ctx.iamCaller = { accessKey: caller.accessKeyId, accountId: caller.account, caller: caller.userId, user: caller.userId, userArn: caller.arn }
  return undefined
}
