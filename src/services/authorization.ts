// The seam for `--enforce-iam` (opt-in; off by default): before an operation runs, the gateway asks
// this whether the caller may perform `<service>:<Operation>`. Root credentials (`test`, 12-digit
// keys, any key Nimbus didn't issue) are always allowed, as AWS's account root is. For IAM users'
// keys and role sessions, their identity-based policies are evaluated by src/policy/ at the level
// of the action: the gateway can't name every operation's resource yet, so an Allow counts
// whatever resources it names and only a Deny on `*` denies. Resource policies are the services' own
// business once the resource is known (S3's bucket policies, Kinesis's stream and consumer policies).
import type { AccessKeyLookup } from '../core/access-keys.ts'
import { parsePolicy, type PolicyDocument } from '../policy/document.ts'
import { evaluate, type Principal } from '../policy/evaluate.ts'
import { AwsError } from '../protocol/errors.ts'
import type { IamPortPolicies } from './iam/port.ts'
import type { Authorizer, Caller } from './service.ts'

/**
 * The caller as a resource policy sees it: an IAM user or role session Nimbus issued the key for
 * (a session also by its role's ARN), else the account's root (`test`, 12-digit keys, any other key).
 */
export function callerPrincipal(caller: Caller, keys: AccessKeyLookup): Principal {
  const issued = caller.accessKeyId.length === 20 ? keys.principal(caller.accessKeyId) : undefined
  const account = issued?.account ?? caller.account
  const principal: Principal = { arn: issued?.arn ?? `arn:aws:iam::${account}:root`, account }
  const session = issued === undefined ? null : /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(issued.arn)
  if (session !== null) principal.roleArn = `arn:aws:iam::${session[1]}:role/${session[2]}`
  return principal
}

export function iamAuthorizer(keys: AccessKeyLookup, iam: IamPortPolicies): Authorizer {
  return ({ caller, service, operation, protocol }) => {
    const principal = keys.principal(caller.accessKeyId)
    if (principal === undefined) return undefined
    const applicable = iam.identityPolicies(principal.arn)
    if (applicable === undefined) return undefined
    const parse = (text: string): PolicyDocument[] => {
      try {
        return [parsePolicy(text, 'identity')]
      } catch {
        return []
      }
    }
    const action = `${service}:${operation}`
    const roleArn = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(principal.arn)
    const decision = evaluate(
      { principal: { arn: principal.arn, account: principal.account, ...(roleArn !== null && { roleArn: `arn:aws:iam::${roleArn[1]}:role/${roleArn[2]}` }) },
        action, resourceAccount: principal.account, context: { 'aws:userid': principal.userId } },
      { identity: applicable.policies.flatMap(parse), ...(applicable.boundary !== undefined && { boundary: parse(applicable.boundary)[0] }) },
    )
    if (decision === 'Allow') return undefined
    const why = decision === 'ExplicitDeny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`
    const code = protocol === 'query' || protocol === 'rest-xml' ? 'AccessDenied' : 'AccessDeniedException'
    return new AwsError(code, `User: ${principal.arn} is not authorized to perform: ${action} ${why}`, { status: 403 })
  }
}
