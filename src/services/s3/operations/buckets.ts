// CreateBucket, HeadBucket, ListBuckets, DeleteBucket, GetBucketLocation and versioning.
import type { OperationTable } from '../../service.ts'
import { Bucket } from '../bucket.ts'
import { canonicalId, checkBucketName, regionOfConstraint } from '../bucket-name.ts'
import { s3Errors } from '../errors.ts'
import { lockEnabled, lockErrors } from '../object-lock.ts'
import type { S3Operations } from '../generated/types.ts'
import { limits } from '../limits.ts'
import { grantsForWrite, objectOwnership } from '../acl-rules.ts'
import { AwsError } from '../../../protocol/errors.ts'
import type { S3State } from '../store.ts'
import { defaultConfigs } from './bucket-configs.ts'

export function bucketOperations(state: S3State): OperationTable<S3Operations> {
  return {
    CreateBucket: (input, ctx) => {
      checkBucketName(input.Bucket)
      const constraint = input.CreateBucketConfiguration?.LocationConstraint as string | undefined
      const requested = ctx.caller.region
      // AWS: us-east-1 takes no constraint; every other region needs its own name as the constraint.
      if (constraint === 'us-east-1') throw s3Errors.invalidLocationConstraint(constraint)
      const region = regionOfConstraint(constraint)
      if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw s3Errors.invalidLocationConstraint(constraint ?? '')
      // The us-east-1 (global) endpoint creates a bucket in any region its constraint names; a regional
      // endpoint only in its own.
      if (region !== requested && requested !== 'us-east-1') throw s3Errors.illegalLocationConstraint(constraint)
      const existing = state.bucket(input.Bucket)
      if (existing !== undefined) {
        if (existing.owner !== ctx.caller.account) throw s3Errors.bucketAlreadyExists(input.Bucket)
        // us-east-1 answers a repeated create by the owner with 200 (legacy behaviour AWS keeps).
        if (existing.region !== 'us-east-1') throw s3Errors.bucketAlreadyOwnedByYou(input.Bucket)
        return { Location: `/${input.Bucket}` }
      }
      const bucket = new Bucket(input.Bucket, region, ctx.caller.account, new Date(ctx.clock.now()))
      for (const [name, value] of defaultConfigs(input.ObjectOwnership)) bucket.configs.set(name, value)
      // x-amz-bucket-object-lock-enabled: Object Lock on, and with it versioning.
      if (input.ObjectLockEnabledForBucket === true) {
        bucket.versioning = 'Enabled'
        bucket.configs.set('objectLock', { ObjectLockEnabled: 'Enabled' })
      }
      // ACLs are disabled on a new bucket unless it asks for another Object Ownership; only the private ACL passes [D: the wording AWS answers].
      const askedAcl = input.ACL !== undefined && input.ACL !== 'private' ? input.ACL : [input.GrantRead, input.GrantReadACP, input.GrantWrite,
        input.GrantWriteACP, input.GrantFullControl].find((g) => g !== undefined)
      if (askedAcl !== undefined && objectOwnership(bucket) === 'BucketOwnerEnforced') {
        throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
          { status: 400 })
      }
      // BlockPublicAcls is on for a new bucket: a public ACL here is refused (403) [R].
      const acl = askedAcl === undefined ? undefined : grantsForWrite(bucket, input, bucket.owner)
      if (acl !== undefined && acl.length > 0) bucket.configs.set('acl', acl)
      state.addBucket(bucket)
      return {
        Location: region === 'us-east-1' ? `/${input.Bucket}` : `http://${input.Bucket}.s3.amazonaws.com/`,
        BucketArn: `arn:aws:s3:::${input.Bucket}`,
      }
    },

    HeadBucket: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      return { BucketRegion: bucket.region, AccessPointAlias: false }
    },

    ListBuckets: (input, ctx) => {
      const all = state.bucketsOf(ctx.caller.account)
        .filter((b) => input.Prefix === undefined || b.name.startsWith(input.Prefix))
        .filter((b) => input.BucketRegion === undefined || b.region === input.BucketRegion)
      const after = input.ContinuationToken === undefined ? undefined : decodeToken(input.ContinuationToken)
      const rest = after === undefined ? all : all.filter((b) => b.name > after)
      const max = Math.min(input.MaxBuckets ?? limits.maxBuckets, limits.maxBuckets)
      const page = rest.slice(0, max)
      const more = rest.length > page.length
      return {
        Buckets: page.map((b) => ({ Name: b.name, CreationDate: b.created, BucketRegion: b.region, BucketArn: `arn:aws:s3:::${b.name}` })),
        Owner: { ID: canonicalId(ctx.caller.account) },
        ContinuationToken: more ? encodeToken(page.at(-1)!.name) : undefined,
        Prefix: input.Prefix,
      }
    },

    DeleteBucket: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      if (!bucket.isEmpty) throw s3Errors.bucketNotEmpty(input.Bucket)
      if (state.accessPoints.forBucket(bucket.name).length > 0) throw s3Errors.bucketHasAccessPoints(input.Bucket)
      state.removeBucket(bucket)
    },

    GetBucketLocation: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      // us-east-1 is the empty constraint.
      return { LocationConstraint: bucket.region === 'us-east-1' ? undefined : bucket.region as never }
    },

    PutBucketVersioning: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      const status = input.VersioningConfiguration?.Status
      if (status !== 'Enabled' && status !== 'Suspended') throw s3Errors.malformedXml()
      if (status !== 'Enabled' && lockEnabled(bucket)) throw lockErrors.versioningLocked()
      bucket.versioning = status
      bucket.saved()
    },

    GetBucketVersioning: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      return { Status: bucket.versioning }
    },
  }
}

function encodeToken(name: string): string {
  return Buffer.from(name, 'utf8').toString('base64url')
}

function decodeToken(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8')
  if (name === '') throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token)
  return name
}
