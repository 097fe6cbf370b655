// Whether a bucket's policy lets CloudTrail deliver a trail's log files: AWS checks it at
// CreateTrail/UpdateTrail and answers InsufficientS3BucketPolicyException unless the policy allows
// the service principal cloudtrail.amazonaws.com s3:GetBucketAcl on the bucket and s3:PutObject
// under `[prefix/]AWSLogs/<account>/` (with the conditions AWS's documented policy uses).
import { MalformedPolicy, parsePolicy } from '../../policy/document.ts'
import { resourcePolicyDecision } from '../../policy/evaluate.ts'

const principal = { arn: 'cloudtrail.amazonaws.com', account: '', service: 'cloudtrail.amazonaws.com' }

export function allowsCloudTrail(policy: string | undefined, bucket: string, keyPrefix: string | undefined, trail: { arn: string; account: string }): boolean {
  if (policy === undefined) return false
  let document
  try {
    document = parsePolicy(policy, 'resource')
  } catch (error) {
    if (error instanceof MalformedPolicy) return false
    throw error
  }
  const context = {
    's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trail.arn, 'aws:SourceAccount': trail.account,
  }
  const prefix = keyPrefix === undefined || keyPrefix === '' ? '' : `${keyPrefix}/`
  const acl = resourcePolicyDecision({ principal, action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${bucket}`,
    resourceAccount: trail.account, context }, [document])
  const put = resourcePolicyDecision({ principal, action: 's3:PutObject',
    resource: `arn:aws:s3:::${bucket}/${prefix}AWSLogs/${trail.account}/CloudTrail/log.json.gz`, resourceAccount: trail.account, context }, [document])
  return acl === 'Allow' && put === 'Allow'
}
