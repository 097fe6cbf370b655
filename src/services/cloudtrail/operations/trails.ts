// Trails: CreateTrail, GetTrail, DescribeTrails, ListTrails, UpdateTrail, DeleteTrail.
import type { S3Port } from '../../s3/port.ts'
import type { OperationTable } from '../../service.ts'
import { allowsCloudTrail } from '../bucket-policy.ts'
import { cloudTrailErrors } from '../errors.ts'
import type { CloudTrailOperations } from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { CloudTrailState } from '../store.ts'
import { describeTrail, newTrail, trailArn } from '../trail.ts'
import { checkTags } from './tags.ts'

/** AWS's trail-name rules, in the order it reports them. */
export function checkTrailName(name: string): void {
  if (name.length < 3) throw cloudTrailErrors.nameTooShort(name.length)
  if (name.length > 128) throw cloudTrailErrors.nameTooLong(name.length)
  if (!/^[A-Za-z0-9]/.test(name)) throw cloudTrailErrors.nameStart()
  if (!/[A-Za-z0-9]$/.test(name)) throw cloudTrailErrors.nameEnd()
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw cloudTrailErrors.nameChars()
  if (/[._-]{2}/.test(name)) throw cloudTrailErrors.nameAdjacent()
}

/** A name-or-ARN argument: an ARN is taken as is, a name must be a valid trail name. */
function checkNameOrArn(value: string): void {
  if (!value.startsWith('arn:')) checkTrailName(value)
}

/** The bucket must exist and its policy must let CloudTrail write there. */
function checkBucket(s3: S3Port, bucket: string, prefix: string | undefined, trail: { arn: string; account: string }): void {
  if (!s3.exists(bucket)) throw cloudTrailErrors.bucketMissing(bucket)
  if (!allowsCloudTrail(s3.bucketPolicy(bucket), bucket, prefix, trail)) throw cloudTrailErrors.bucketPolicy(bucket)
}

export function trailOperations(state: CloudTrailState, s3: S3Port) {
  return {
    CreateTrail: (input, ctx) => {
      const { account, region } = ctx.caller
      checkTrailName(input.Name)
      if (state.visible(account, region).some((t) => t.name === input.Name)) throw cloudTrailErrors.trailExists(input.Name, account)
      if (state.visible(account, region).length >= limits.maxTrailsPerRegion) throw cloudTrailErrors.tooManyTrails(account, region)
      checkTags(input.TagsList ?? [])
      if (input.IsMultiRegionTrail === true && input.IncludeGlobalServiceEvents === false) throw cloudTrailErrors.multiRegionGlobal()
      const arn = trailArn({ account, homeRegion: region, name: input.Name })
      checkBucket(s3, input.S3BucketName, input.S3KeyPrefix, { arn, account })
      const trail = newTrail({
        account, homeRegion: region, name: input.Name, bucket: input.S3BucketName, keyPrefix: input.S3KeyPrefix,
        snsTopicName: input.SnsTopicName, includeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
        multiRegion: input.IsMultiRegionTrail ?? false, logFileValidation: input.EnableLogFileValidation ?? false,
        organization: input.IsOrganizationTrail ?? false, cloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn,
        cloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn, kmsKeyId: input.KmsKeyId, tags: input.TagsList ?? [],
      })
      state.add(trail)
      const { HomeRegion: _, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...shape } = describeTrail(trail)
      return shape
    },
    GetTrail: (input, ctx) => {
      checkNameOrArn(input.Name)
      return { Trail: describeTrail(state.require(ctx.caller.account, ctx.caller.region, input.Name)) }
    },
    DescribeTrails: (input, ctx) => {
      const { account, region } = ctx.caller
      const shadows = input.includeShadowTrails ?? true
      let trails = state.visible(account, region).filter((t) => shadows || t.homeRegion === region)
      if (input.trailNameList !== undefined && input.trailNameList.length > 0) {
        // Names that match no trail are left out, not an error.
        trails = input.trailNameList.flatMap((name) => state.find(account, region, name) ?? [])
      }
      return { trailList: trails.map(describeTrail) }
    },
    ListTrails: (_input, ctx) => ({
      Trails: state.all(ctx.caller.account).map((t) => ({ TrailARN: trailArn(t), Name: t.name, HomeRegion: t.homeRegion })),
    }),
    UpdateTrail: (input, ctx) => {
      const { account, region } = ctx.caller
      checkNameOrArn(input.Name)
      const trail = state.requireHome(account, region, input.Name)
      if ((input.IsMultiRegionTrail ?? trail.multiRegion) && (input.IncludeGlobalServiceEvents ?? trail.includeGlobalServiceEvents) === false) {
        throw cloudTrailErrors.multiRegionGlobal()
      }
      const bucket = input.S3BucketName ?? trail.bucket
      const prefix = input.S3KeyPrefix ?? trail.keyPrefix
      if (input.S3BucketName !== undefined || input.S3KeyPrefix !== undefined) checkBucket(s3, bucket, prefix, { arn: trailArn(trail), account })
      Object.assign(trail, {
        bucket, keyPrefix: prefix, snsTopicName: input.SnsTopicName ?? trail.snsTopicName,
        includeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? trail.includeGlobalServiceEvents,
        multiRegion: input.IsMultiRegionTrail ?? trail.multiRegion, logFileValidation: input.EnableLogFileValidation ?? trail.logFileValidation,
        organization: input.IsOrganizationTrail ?? trail.organization,
        cloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn ?? trail.cloudWatchLogsLogGroupArn,
        cloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn ?? trail.cloudWatchLogsRoleArn, kmsKeyId: input.KmsKeyId ?? trail.kmsKeyId,
      })
      state.save(trail)
      const { HomeRegion: _, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...shape } = describeTrail(trail)
      return shape
    },
    DeleteTrail: (input, ctx) => {
      checkNameOrArn(input.Name)
      state.delete(state.requireHome(ctx.caller.account, ctx.caller.region, input.Name))
      return {}
    },
  } satisfies OperationTable<CloudTrailOperations>
}
