// S3's errors as data, with AWS's codes, statuses and wording; extra fields render beside the
// message in S3's <Error> document (BucketName, Key, …), as AWS sends them.
import { AwsError } from '../../protocol/errors.ts'

const e = (code: string, message: string, status = 400, fields: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  new AwsError(code, message, { status, fields, headers })

export const s3Errors = {
  // A required element missing inside a body document (a dotted path) fails S3's schema check: MalformedXML.
  missingParameter: (name: string) => name.includes('.') ? s3Errors.malformedXml()
    : e('InvalidRequest', `Missing required parameter: ${name}`),
  noSuchBucket: (bucket: string) => e('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket }),
  noSuchKey: (key: string, headers?: Record<string, string>) => e('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, headers),
  noSuchVersion: (key: string, versionId: string) =>
    e('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId }),
  invalidVersionId: (versionId: string) =>
    e('InvalidArgument', 'Invalid version id specified', 400, { ArgumentName: 'versionId', ArgumentValue: versionId }),
  noSuchUpload: (uploadId: string) => e('NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404,
    { UploadId: uploadId }),
  bucketNotEmpty: (bucket: string) => e('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket }),
  bucketAlreadyExists: (bucket: string) => e('BucketAlreadyExists',
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. ' +
    'Please select a different name and try again.', 409, { BucketName: bucket }),
  bucketAlreadyOwnedByYou: (bucket: string) => e('BucketAlreadyOwnedByYou',
    'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket }),
  invalidBucketName: (bucket: string) => e('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket }),
  invalidLocationConstraint: (constraint: string) => e('InvalidLocationConstraint',
    'The specified location-constraint is not valid', 400, { LocationConstraint: constraint }),
  illegalLocationConstraint: (constraint: string | undefined) => e('IllegalLocationConstraintException',
    `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`),
  methodNotAllowed: (method: string, resource: 'DeleteMarker' | 'Object', headers?: Record<string, string>) => e('MethodNotAllowed',
    'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: resource }, headers),
  /** An operation S3 doesn't serve through an access point [R: code and wording]. */
  accessPointOperationRefused: (method: string) => e('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405,
    { Method: method }),
  /** DeleteBucket while access points name the bucket (the wording as the AWS CLI prints it). */
  bucketHasAccessPoints: (bucket: string) => e('BucketHasAccessPointsAttached', 'Bucket has access points attached and cannot be deleted.', 409,
    { BucketName: bucket }),
  invalidRange: (range: string, size: number) => e('InvalidRange', 'The requested range is not satisfiable', 416,
    { RangeRequested: range, ActualObjectSize: size }),
  invalidPartNumber: (requested: number, count: number) => e('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416,
    { PartNumberRequested: requested, ActualPartCount: count }),
  preconditionFailed: (condition: string) => e('PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition }),
  /** A conditional write S3 doesn't do; the message is AWS's as quoted in public reports, the Header field [R]. */
  conditionNotImplemented: (header: string) => e('NotImplemented', 'A header you provided implies functionality that is not implemented', 501,
    { Header: header }),
  /** 304 carries no body; the SDK reports it by status. */
  notModified: () => e('NotModified', 'Not Modified', 304),
  badDigest: (expected: string, calculated: string) => e('BadDigest',
    'The Content-MD5 you specified did not match what we received.', 400, { ExpectedDigest: expected, CalculatedDigest: calculated }),
  badChecksum: (algorithm: string) => e('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`),
  invalidDigest: (value: string) => e('InvalidDigest', 'The Content-MD5 you specified was not valid.', 400, { 'Content-MD5': value }),
  invalidChecksumHeader: (header: string) => e('InvalidRequest', `Value for ${header} header is invalid.`),
  incompleteBody: () => e('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header'),
  invalidRequest: (message: string) => e('InvalidRequest', message),
  invalidEncryptionAlgorithm: (name: string, value: string) => e('InvalidEncryptionAlgorithmError',
    'The Encryption request you specified is not valid. Supported value: AES256.', 400, { ArgumentName: name, ArgumentValue: value }),
  invalidArgument: (message: string, name?: string, value?: string) =>
    e('InvalidArgument', message, 400, name === undefined ? {} : { ArgumentName: name, ArgumentValue: value }),
  /** PUT ?notification: each failed destination as ArgumentNameN (`<arn>, null`) / ArgumentValueN (why), as AWS lists them. */
  unableToValidateDestinations: (failures: ReadonlyArray<{ arn: string; reason: string }>) => e('InvalidArgument',
    'Unable to validate the following destination configurations', 400,
    Object.fromEntries(failures.flatMap((f, i) => [[`ArgumentName${i + 1}`, `${f.arn}, null`], [`ArgumentValue${i + 1}`, f.reason]]))),
  malformedPolicy: (message: string) => e('MalformedPolicy', message),
  malformedXml: () => e('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'),
  entityTooSmall: (size: number, min: number) => e('EntityTooSmall',
    'Your proposed upload is smaller than the minimum allowed object size.', 400, { ProposedSize: size, MinSizeAllowed: min }),
  entityTooLarge: (size: number, max: number) => e('EntityTooLarge',
    'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: size, MaxSizeAllowed: max }),
  invalidPart: (uploadId: string, part: number, etag: string | undefined) => e('InvalidPart',
    'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may ' +
    'not match the part\'s entity tag.', 400, { UploadId: uploadId, PartNumber: part, ETag: etag }),
  invalidPartOrder: (uploadId: string) => e('InvalidPartOrder',
    'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, { UploadId: uploadId }),
  keyTooLong: (size: number, max: number) => e('KeyTooLongError', 'Your key is too long', 400, { Size: size, MaxSizeAllowed: max }),
  invalidTag: (message: string) => e('InvalidTag', message),
  metadataTooLarge: (size: number, max: number) => e('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', 400,
    { Size: size, MaxSizeAllowed: max }),
  invalidStorageClass: (value: string) => e('InvalidStorageClass', 'The storage class you specified is not valid', 400,
    { StorageClassRequested: value }),
  authorizationQueryParameters: (message: string) => e('AuthorizationQueryParametersError', message),
  expired: (seconds: string, expires: string, now: string) =>
    e('AccessDenied', 'Request has expired', 403, { 'X-Amz-Expires': seconds, Expires: expires, ServerTime: now }),
  // Browser POST uploads [R: wording as recalled].
  malformedPostRequest: () => e('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.'),
  invalidPolicyDocument: (message: string) => e('InvalidPolicyDocument', message),
  accessDenied: (message: string) => e('AccessDenied', message, 403),
  authorizationHeaderMalformed: () => e('AuthorizationHeaderMalformed',
    'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.'),
  // Archived objects [R: wording as recalled from AWS's answers].
  invalidObjectState: (storageClass: string) => e('InvalidObjectState', 'The operation is not valid for the object\'s storage class', 403,
    { StorageClass: storageClass }),
  restoreNotAllowed: () => e('InvalidObjectState', 'Restore is not allowed for the object\'s current storage class', 403),
  restoreAlreadyInProgress: () => e('RestoreAlreadyInProgress', 'Object restore is already in progress', 409),
  // Absent configurations, each with the code AWS gives it.
  noSuchBucketPolicy: (bucket: string) => e('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket }),
  noSuchCors: (bucket: string) => e('NoSuchCORSConfiguration', 'The CORS configuration does not exist', 404, { BucketName: bucket }),
  noSuchLifecycle: (bucket: string) => e('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404, { BucketName: bucket }),
  noSuchTagSet: (bucket: string) => e('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket }),
  noSuchEncryption: (bucket: string) => e('ServerSideEncryptionConfigurationNotFoundError',
    'The server side encryption configuration was not found', 404, { BucketName: bucket }),
  noSuchWebsite: (bucket: string) => e('NoSuchWebsiteConfiguration',
    'The specified bucket does not have a website configuration', 404, { BucketName: bucket }),
  noSuchOwnershipControls: (bucket: string) => e('OwnershipControlsNotFoundError',
    'The bucket ownership controls were not found', 404, { BucketName: bucket }),
  noSuchPublicAccessBlock: (bucket: string) => e('NoSuchPublicAccessBlockConfiguration',
    'The public access block configuration was not found', 404, { BucketName: bucket }),
}
