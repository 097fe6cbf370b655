// API Gateway's IAM authorization of invoke-URL requests (AWS_IAM methods and routes): the request's
// SigV4 signature (service `execute-api`) checked against the credentials Nimbus knows — whatever
// `--verify-signatures` says, since the API's owner asked for it — and the caller it names.
import type { AccessKeyLookup } from '../../core/access-keys.ts'
import type { Clock } from '../../core/clock.ts'
import { isAwsError } from '../../protocol/errors.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import type { Authorizer, InvokeCaller } from '../../services/service.ts'
import { expiredToken } from '../authentication.ts'
import { credentialScope, resolveCaller } from '../caller.ts'
import { verifySignature } from './verify.ts'

export interface InvokeSignatureDeps {
  clock: Clock
  keys?: AccessKeyLookup
  /** `--enforce-iam`: the caller's identity policies must allow the `execute-api` action (action level). */
  authorize?: Authorizer
}

/** API Gateway's front end answers in REST-JSON's family (403s). */
const family = { protocol: 'rest-json' as const, queryCompatible: false }

export function checkInvokeSignature(request: HttpRequest, deps: InvokeSignatureDeps, action: 'Invoke' | 'InvalidateCache' = 'Invoke'): InvokeCaller {
  const scope = credentialScope(request)
  if (request.headers['authorization'] === undefined && scope === undefined) return { kind: 'anonymous' }
  const verdict = verifySignature(request, family, { clock: deps.clock, keys: deps.keys })
  if (isAwsError(verdict)) return { kind: 'refused', error: verdict }
  if (scope === undefined) return { kind: 'anonymous' }
  const accessKeyId = scope.accessKeyId
  const principal = deps.keys?.principal(accessKeyId)
  if (principal?.expiresAt !== undefined && deps.clock.now() >= principal.expiresAt) {
    return { kind: 'refused', error: expiredToken('rest-json') }
  }
  // The default keys (`test`, a 12-digit account id) act as their account's root, as elsewhere in Nimbus.
  const account = principal?.account ?? resolveCaller(scope, scope.region).account
  const caller: Extract<InvokeCaller, { kind: 'signed' }> = principal !== undefined
    ? { kind: 'signed', accessKeyId, account, arn: principal.arn, userId: principal.userId }
    : { kind: 'signed', accessKeyId, account, arn: `arn:aws:iam::${account}:root`, userId: account }
  const denied = deps.authorize?.({ caller: { accessKeyId, account, region: scope.region }, service: 'execute-api', operation: action, protocol: 'rest-json' })
  if (denied !== undefined) caller.denied = denied.message.includes('explicit deny') ? 'explicit' : 'implicit'
  return caller
}
