// S3 Control's operations over S3's state (the s3control service calls them through S3's port):
// the account-level Block Public Access and access points with their policies and settings.
// Wordings marked [R] are recalled; the codes and statuses are AWS's (S3 Control API reference).
import { AwsError } from '../../../protocol/errors.ts'
import { MalformedPolicy } from '../../../policy/document.ts'
import { checkAccessPointPolicy, parseBucketPolicy } from '../access/bucket-policy.ts'
import { combineBlocks, type PublicAccessBlock } from '../access/public-access-block.ts'
import { policyIsPublic } from '../access/public-policy.ts'
import type { AccessPointView, ControlScope, S3ControlPort } from '../port.ts'
import type { S3State } from '../store.ts'
import { type AccessPoint, accessPointArn } from './access-points.ts'

const error = (code: string, message: string, status: number) => new AwsError(code, message, { status })

export const controlErrors = {
  noSuchPublicAccessBlock: () => error('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404),
  noSuchAccessPoint: () => error('NoSuchAccessPoint', 'The specified accesspoint does not exist', 404),
  noSuchAccessPointPolicy: () => error('NoSuchAccessPointPolicy', 'The specified accesspoint policy does not exist', 404),
  accessPointExists: () => error('AccessPointAlreadyOwnedByYou',
    'Your previous request to create the named accesspoint succeeded and you already own it.', 409),
  noSuchBucket: () => error('NoSuchBucket', 'The specified bucket does not exist', 404),
  invalidName: () => error('InvalidRequest', 'Invalid access point name', 400),
  accessDenied: () => error('AccessDenied', 'Access Denied', 403),
  malformedXml: () => error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400),
}

/** New access points block all public access unless the request says otherwise (S3 User Guide) */
const allBlocked: PublicAccessBlock = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }

/** Only the four settings, as booleans (a document may carry any subset; the rest are false). */
function settings(block: PublicAccessBlock): PublicAccessBlock {
  return { BlockPublicAcls: block.BlockPublicAcls === true, IgnorePublicAcls: block.IgnorePublicAcls === true,
    BlockPublicPolicy: block.BlockPublicPolicy === true, RestrictPublicBuckets: block.RestrictPublicBuckets === true }
}

function view(ap: AccessPoint): AccessPointView {
  return { name: ap.name, bucket: ap.bucket, bucketAccount: ap.bucketAccount, arn: accessPointArn(ap), alias: ap.alias, vpcId: ap.vpcId,
    block: ap.block, created: new Date(ap.created) }
}

export function createControlApi(state: S3State): S3ControlPort {
  /** S3 Control acts on the caller's own account: another account id is refused (no cross-account control plane here). */
  const own = (scope: ControlScope): void => {
    if (scope.caller !== scope.account) throw controlErrors.accessDenied()
  }
  const find = (scope: ControlScope, name: string): AccessPoint => {
    own(scope)
    const ap = state.accessPoints.get(scope.account, scope.region, name)
    if (ap === undefined) throw controlErrors.noSuchAccessPoint()
    return ap
  }
  return {
    getPublicAccessBlock: (scope) => {
      own(scope)
      const block = state.accounts.block(scope.account)
      if (block === undefined) throw controlErrors.noSuchPublicAccessBlock()
      return block
    },
    putPublicAccessBlock: (scope, block) => {
      own(scope)
      if (block === undefined) throw controlErrors.malformedXml()
      state.accounts.setBlock(scope.account, settings(block))
    },
    deletePublicAccessBlock: (scope) => {
      own(scope)
      state.accounts.deleteBlock(scope.account)
    },
    createAccessPoint: (scope, request) => {
      own(scope)
      // 3–50 lowercase letters, digits and hyphens, starting and ending with a letter or digit; `-s3alias` is reserved [R: wording].
      if (!/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/.test(request.name) || request.name.endsWith('-s3alias')) throw controlErrors.invalidName()
      if (state.accessPoints.get(scope.account, scope.region, request.name) !== undefined) throw controlErrors.accessPointExists()
      const bucket = state.bucket(request.bucket)
      if (bucket === undefined) throw controlErrors.noSuchBucket()
      const ap = state.accessPoints.create({
        name: request.name, account: scope.account, region: scope.region, bucket: bucket.name, bucketAccount: bucket.owner,
        vpcId: request.vpcId, block: request.block === undefined ? allBlocked : settings(request.block),
      }, state.clock.now())
      return view(ap)
    },
    getAccessPoint: (scope, name) => view(find(scope, name)),
    listAccessPoints: (scope, bucket) => {
      own(scope)
      return state.accessPoints.list(scope.account, scope.region).filter((ap) => bucket === undefined || ap.bucket === bucket).map(view)
    },
    deleteAccessPoint: (scope, name) => state.accessPoints.delete(find(scope, name)),
    getAccessPointPolicy: (scope, name) => {
      const policy = find(scope, name).policy
      if (policy === undefined) throw controlErrors.noSuchAccessPointPolicy()
      return policy
    },
    putAccessPointPolicy: (scope, name, policy) => {
      const ap = find(scope, name)
      let document
      try {
        document = checkAccessPointPolicy(policy ?? '', accessPointArn(ap))
      } catch (e) {
        if (e instanceof MalformedPolicy) throw error('MalformedPolicy', e.message, 400)
        throw e
      }
      // BlockPublicPolicy of the access point or of its account refuses a public policy [R: message].
      if (combineBlocks(ap.block, state.accounts.block(ap.account)).BlockPublicPolicy === true && policyIsPublic(document)) {
        throw controlErrors.accessDenied()
      }
      ap.policy = policy
      state.accessPoints.saved(ap)
    },
    deleteAccessPointPolicy: (scope, name) => {
      const ap = find(scope, name)
      ap.policy = undefined
      state.accessPoints.saved(ap)
    },
    accessPointPolicyIsPublic: (scope, name) => {
      const ap = find(scope, name)
      if (ap.policy === undefined) throw controlErrors.noSuchAccessPointPolicy()
      return policyIsPublic(parseBucketPolicy(ap.policy))
    },
  }
}
