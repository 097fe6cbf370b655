// AWS's definition of a public bucket policy (S3 User Guide, "The meaning of 'public'"): a policy
// is public when an Allow statement grants a wildcard principal (`*`, `{"AWS": "*"}`, a principal
// ARN with a wildcard, or NotPrincipal) unless a condition pins it to fixed values of one of the
// keys AWS lists: aws:SourceIp (a set of CIDRs), aws:SourceArn, aws:SourceVpc, aws:SourceVpce,
// aws:SourceOwner, aws:SourceAccount, s3:x-amz-server-side-encryption-aws-kms-key-id, aws:userid
// outside the pattern "AROLEID:*", aws:PrincipalOrgID, s3:DataAccessPointAccount and
// s3:DataAccessPointArn (whose access point name may be a wildcard while the account is fixed: a
// bucket policy delegating to an account's access points stays non-public). Used by
// GetBucketPolicyStatus, GetAccessPointPolicyStatus, BlockPublicPolicy and RestrictPublicBuckets.
import type { PolicyDocument, Statement } from '../../../policy/document.ts'

const fixingKeys = new Set(['aws:sourcearn', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceowner', 'aws:sourceaccount',
  's3:x-amz-server-side-encryption-aws-kms-key-id', 'aws:userid', 'aws:principalorgid', 'aws:principalaccount', 's3:dataaccesspointaccount',
  's3:dataaccesspointarn'])
/** Operators that hold only for the values listed (negated ones, …IfExists and ForAllValues: don't restrict). */
const pinningOperators = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'ipaddress',
  'foranyvalue:stringequals', 'foranyvalue:stringlike'])

export function policyIsPublic(policy: PolicyDocument): boolean {
  return policy.Statement.some(statementIsPublic)
}

export function statementIsPublic(statement: Statement): boolean {
  if (statement.Effect !== 'Allow') return false
  if (statement.NotPrincipal === undefined && !wildcardPrincipal(statement.Principal)) return false
  return !pinnedByCondition(statement.Condition)
}

function wildcardPrincipal(principal: Statement['Principal']): boolean {
  if (principal === undefined) return false
  if (principal === '*') return true
  return Object.values(principal).some((values) => values.some((value) => value.includes('*') || value.includes('?')))
}

function pinnedByCondition(condition: Statement['Condition']): boolean {
  if (condition === undefined) return false
  for (const [operator, keys] of Object.entries(condition)) {
    if (!pinningOperators.has(operator.toLowerCase())) continue
    for (const [key, values] of Object.entries(keys)) {
      const name = key.toLowerCase()
      if (name === 'aws:sourceip') {
        // A CIDR set pins access unless it spans everything [R: AWS's threshold for "too broad" is not documented].
        if (values.every((v) => !/\/0$/.test(v))) return true
        continue
      }
      if (!fixingKeys.has(name)) continue
      if (name === 's3:dataaccesspointarn') {
        if (values.every((v) => /^arn:aws[a-z-]*:s3:[a-z0-9-]*:\d{12}:accesspoint\//.test(v))) return true
        continue
      }
      const fixed = values.every((v) => !/[*?]|\$\{/.test(v))
      if (name === 'aws:userid' ? values.every((v) => !/^AROA[A-Z0-9]+:\*$/.test(v)) && fixed : fixed) return true
    }
  }
  return false
}
