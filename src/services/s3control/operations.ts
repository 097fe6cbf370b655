// S3 Control's operations Nimbus serves, mapped onto S3's control port; the rest of the model
// answers Nimbus's not-implemented error. The account is the `x-amz-account-id` header (AccountId),
// the region the request's signing region.
import type { ControlScope, S3Port } from '../s3/port.ts'
import type { OperationContext, OperationTable } from '../service.ts'
import type * as T from './generated/types.ts'

type Served = 'GetPublicAccessBlock' | 'PutPublicAccessBlock' | 'DeletePublicAccessBlock' | 'CreateAccessPoint' | 'GetAccessPoint' |
  'ListAccessPoints' | 'DeleteAccessPoint' | 'GetAccessPointPolicy' | 'PutAccessPointPolicy' | 'DeleteAccessPointPolicy' |
  'GetAccessPointPolicyStatus'

const scope = (input: { AccountId: string }, ctx: OperationContext): ControlScope =>
  ({ account: input.AccountId, region: ctx.caller.region, caller: ctx.caller.account })

/**
 * GetAccessPoint's `Endpoints`: the access point's hosts by kind, as AWS answers them [R: keys and
 * hosts]. An access point lives in the region the request was sent to (its ARN's); the SDKs add the `<name>-<account>.` prefix.
 */
const endpoints = (region: string): Record<string, string> => ({
  ipv4: `s3-accesspoint.${region}.amazonaws.com`,
  fips: `s3-accesspoint-fips.${region}.amazonaws.com`,
  fips_dualstack: `s3-accesspoint-fips.dualstack.${region}.amazonaws.com`,
  dualstack: `s3-accesspoint.dualstack.${region}.amazonaws.com`,
})

/** ListAccessPoints' page size when MaxResults is absent [R]. */
const defaultPage = 1000

export function controlOperations(s3: S3Port): OperationTable<Pick<T.S3ControlOperations, Served>> {
  const control = s3.control
  return {
    GetPublicAccessBlock: (input, ctx) => ({ PublicAccessBlockConfiguration: control.getPublicAccessBlock(scope(input, ctx)) }),
    PutPublicAccessBlock: (input, ctx) => control.putPublicAccessBlock(scope(input, ctx), input.PublicAccessBlockConfiguration),
    DeletePublicAccessBlock: (input, ctx) => control.deletePublicAccessBlock(scope(input, ctx)),

    CreateAccessPoint: (input, ctx) => {
      const ap = control.createAccessPoint(scope(input, ctx), { name: input.Name, bucket: input.Bucket, bucketAccount: input.BucketAccountId,
        vpcId: input.VpcConfiguration?.VpcId, block: input.PublicAccessBlockConfiguration })
      return { AccessPointArn: ap.arn, Alias: ap.alias }
    },
    GetAccessPoint: (input, ctx) => {
      const ap = control.getAccessPoint(scope(input, ctx), input.Name)
      return {
        Name: ap.name, Bucket: ap.bucket, NetworkOrigin: ap.vpcId === undefined ? 'Internet' : 'VPC',
        ...(ap.vpcId !== undefined && { VpcConfiguration: { VpcId: ap.vpcId } }),
        PublicAccessBlockConfiguration: ap.block, CreationDate: ap.created, Alias: ap.alias, AccessPointArn: ap.arn,
        BucketAccountId: ap.bucketAccount, Endpoints: endpoints(ctx.caller.region),
      }
    },
    ListAccessPoints: (input, ctx) => {
      const all = control.listAccessPoints(scope(input, ctx), input.Bucket)
      const start = input.NextToken === undefined ? 0 : Math.max(0, all.findIndex((ap) => ap.name > input.NextToken!))
      const size = input.MaxResults !== undefined && input.MaxResults > 0 ? Math.min(input.MaxResults, defaultPage) : defaultPage
      const page = (input.NextToken !== undefined && all.every((ap) => ap.name <= input.NextToken!)) ? [] : all.slice(start, start + size)
      const more = start + size < all.length && page.length > 0
      return {
        AccessPointList: page.map((ap) => ({
          Name: ap.name, NetworkOrigin: ap.vpcId === undefined ? 'Internet' : 'VPC', ...(ap.vpcId !== undefined && { VpcConfiguration: { VpcId: ap.vpcId } }),
          Bucket: ap.bucket, AccessPointArn: ap.arn, Alias: ap.alias, BucketAccountId: ap.bucketAccount,
        })),
        ...(more && { NextToken: page[page.length - 1]!.name }),
      }
    },
    DeleteAccessPoint: (input, ctx) => control.deleteAccessPoint(scope(input, ctx), input.Name),
    GetAccessPointPolicy: (input, ctx) => ({ Policy: control.getAccessPointPolicy(scope(input, ctx), input.Name) }),
    PutAccessPointPolicy: (input, ctx) => control.putAccessPointPolicy(scope(input, ctx), input.Name, input.Policy),
    DeleteAccessPointPolicy: (input, ctx) => control.deleteAccessPointPolicy(scope(input, ctx), input.Name),
    GetAccessPointPolicyStatus: (input, ctx) => ({ PolicyStatus: { IsPublic: control.accessPointPolicyIsPublic(scope(input, ctx), input.Name) } }),
  }
}
