// CloudTrail errors, named after AWS's codes, with AWS's wording ([R] in README.md where recalled).
import { AwsError } from '../../protocol/errors.ts'

const error = (code: string, message: string) => new AwsError(code, message)

export const cloudTrailErrors = {
  /** AWS's front-end validation message for a missing required member. */
  missingParameter: (name: string) => new AwsError('ValidationException',
    `1 validation error detected: Value null at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must not be null`),
  trailNotFound: (name: string, account: string) => error('TrailNotFoundException', `Unknown trail: ${name} for the user: ${account}`),
  trailExists: (name: string, account: string) => error('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${account}`),
  nameTooShort: (length: number) => error('InvalidTrailNameException',
    `Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${length} characters.`),
  nameTooLong: (length: number) => error('InvalidTrailNameException',
    `Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${length} characters.`),
  nameStart: () => error('InvalidTrailNameException', 'Trail name must starts with a letter or number.'),
  nameEnd: () => error('InvalidTrailNameException', 'Trail name must ends with a letter or number.'),
  nameChars: () => error('InvalidTrailNameException',
    'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).'),
  nameAdjacent: () => error('InvalidTrailNameException',
    'Trail name cannot contain adjacent periods, underscores or dashes. Examples: my-_namespace or my--namespace.'),
  bucketMissing: (bucket: string) => error('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist.`),
  bucketPolicy: (bucket: string) => error('InsufficientS3BucketPolicyException', `Incorrect S3 bucket policy is detected for bucket: ${bucket}`),
  tooManyTrails: (account: string, region: string) => error('MaximumNumberOfTrailsExceededException',
    `User: ${account} already has 5 trails in ${region}.`),
  invalidSelectors: (message: string) => error('InvalidEventSelectorsException', message),
  selectorsConflict: () => error('InvalidParameterCombinationException',
    'Event selectors and advanced event selectors cannot both be specified.'),
  multiRegionGlobal: () => error('InvalidParameterCombinationException', 'Multi-Region trail must include global service events.'),
  notHomeRegion: (arn: string, region: string) => error('InvalidHomeRegionException',
    `This operation must be called from the trail's home region. Trail ${arn} home region: ${region}.`),
  lookupAttributes: (message: string) => error('InvalidLookupAttributesException', message),
  timeRange: () => error('InvalidTimeRangeException', 'Start time must be before end time.'),
  maxResults: () => error('InvalidMaxResultsException', 'Value of MaxResults must be between 1 and 50.'),
  nextToken: () => error('InvalidNextTokenException', 'Invalid NextToken.'),
  eventCategory: () => error('InvalidEventCategoryException', 'Only insight is supported as event category.'),
  resourceNotFound: (arn: string) => error('ResourceNotFoundException', `Resource ${arn} not found.`),
  invalidArn: (arn: string) => error('CloudTrailARNInvalidException', `Invalid trail ARN: ${arn}`),
  invalidTag: (message: string) => error('InvalidTagParameterException', message),
  tooManyTags: (arn: string) => error('TagsLimitExceededException', `The number of tags on ${arn} exceeds the limit of 50.`),
}
