// AWS_IAM routes: the request must be SigV4-signed (service `execute-api`) with credentials Nimbus
// knows, as the gateway verifies them (InvokeSignatureCheck). HTTP APIs answer an unsigned request
// 403 `{"message":"Forbidden"}` [R], a bad signature or unknown key with the front end's own message.
import type { InvokeRequest } from '../port.ts'
import type { HttpApiTarget } from '../port.ts'

/** The caller as the 1.0 event's `identity` names it (the 2.0 event's `authorizer.iam` is built from it). */
export interface IamCaller {
  accessKey: string
  accountId: string
  caller: string
  user: string
  userArn: string
}

export function iamCaller(target: HttpApiTarget, request: InvokeRequest): IamCaller | { denied: string; reason: string } {
  const caller = target.checkSignature?.(request, 'Invoke') ?? { kind: 'anonymous' as const }
  if (caller.kind === 'anonymous') return { denied: 'Forbidden', reason: 'no SigV4 signature' }
  if (caller.kind === 'refused') return { denied: caller.error.message, reason: caller.error.code }
  // [R] `--enforce-iam` found no identity policy allowing execute-api:Invoke: HTTP APIs' plain 403.
  if (caller.denied !== undefined) return { denied: 'Forbidden', reason: `${caller.arn} may not execute-api:Invoke` }
  return { accessKey: caller.accessKeyId, accountId: caller.account, caller: caller.userId, user: caller.userId, userArn: caller.arn }
}
