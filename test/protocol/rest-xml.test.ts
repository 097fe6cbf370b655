// restXml round trips with the real @aws-sdk/client-s3: what it sends we parse; what we send it parses.
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { describe, it } from 'node:test'
import * as s3 from '@aws-sdk/client-s3'
import { AwsError } from '../../src/protocol/errors.ts'
import { type ProtocolQuirks, ServiceModel } from '../../src/protocol/model.ts'
import { restXml } from '../../src/protocol/rest-xml/rest-xml.ts'
import { model as s3Model } from '../../src/services/s3/generated/model.ts'
import { ProtocolHarness, withoutMetadata } from './sdk-harness.ts'

const model = new ServiceModel(s3Model)

function setup(quirks?: ProtocolQuirks) {
  const harness = new ProtocolHarness(restXml, quirks === undefined ? model : new ServiceModel(s3Model, quirks))
  const client = new s3.S3Client({
    region: 'us-east-1', endpoint: 'http://localhost:4566', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true, maxAttempts: 1, requestHandler: harness.requestHandler,
    // Checksums are the service's business; keep the SDK from adding members the test didn't pass.
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  })
  return { harness, client }
}

/** Drops the checksum members the SDK adds on its own (to the command's input too) where S3 requires one. */
function withoutChecksums(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([k]) => !k.startsWith('Checksum') && k !== 'ContentMD5'))
}

const key = 'photos/2024/été summer/ü+&?#=%.jpg'

describe('restXml (S3) round trips', () => {
  it('PutObject: a greedy key with slashes, unicode and reserved characters, header maps, typed headers, a blob body', async () => {
    const { harness, client } = setup()
    const input = {
      Bucket: 'my-bucket', Key: key, Body: Buffer.from('hello\r\nworld'), ContentType: 'text/plain', CacheControl: 'max-age=60',
      Metadata: { color: 'blue', 'note-1': 'a b c' }, StorageClass: 'STANDARD_IA' as const, Tagging: 'a=b&c=d',
      BucketKeyEnabled: true, ObjectLockRetainUntilDate: new Date('2030-01-02T03:04:05Z'), ObjectLockMode: 'GOVERNANCE' as const,
    }
    const output = { ETag: '"abc123"', VersionId: 'v1', ServerSideEncryption: 'AES256' as const, BucketKeyEnabled: true, Size: 12 }
    const { parsed, request, result } = await harness.call(() => client.send(new s3.PutObjectCommand(input)), { output })
    assert.equal(parsed.operation.name, 'PutObject')
    assert.ok(request.rawPath.startsWith('/my-bucket/photos/2024/'), request.rawPath)
    assert.equal(request.headers['x-amz-object-lock-retain-until-date'], '2030-01-02T03:04:05Z')
    assert.deepEqual(parsed.input, { ...input, ContentLength: 12 })
    assert.deepEqual(withoutMetadata(result), output)
  })

  it('GetObject: query and RFC 822 header inputs; a streamed body, header maps and typed headers back', async () => {
    const { harness, client } = setup()
    const input = { Bucket: 'b', Key: 'dir/a b.txt', Range: 'bytes=0-4', IfModifiedSince: new Date('2024-01-01T00:00:00Z'),
      ResponseContentType: 'application/json', PartNumber: 2 }
    const body = Readable.from([Buffer.from('hello '), Buffer.from('stream')])
    const output = { Body: body, ContentLength: 12, ContentType: 'text/plain', ETag: '"e"', LastModified: new Date('2024-02-03T04:05:06Z'),
      Metadata: { color: 'blue' }, TagCount: 3, DeleteMarker: false, AcceptRanges: 'bytes', StatusCodeIgnored: undefined }
    const response = restXml.serializeOutput(model, model.operation('GetObject')!, output, { requestId: 'r' })
    assert.equal(response.body, body, 'a Readable payload passes through untouched')
    const { parsed, request, result } = await harness.call(() => client.send(new s3.GetObjectCommand(input)),
      { output: { ...output, Body: Readable.from([Buffer.from('hello '), Buffer.from('stream')]) } })
    assert.equal(request.headers['if-modified-since'], 'Mon, 01 Jan 2024 00:00:00 GMT')
    assert.deepEqual(parsed.input, input)
    assert.equal(await result.Body!.transformToString(), 'hello stream')
    assert.equal(result.ContentLength, 12)
    assert.equal(result.ContentType, 'text/plain')
    assert.deepEqual(result.LastModified, new Date('2024-02-03T04:05:06Z'))
    assert.deepEqual(result.Metadata, { color: 'blue' })
    assert.equal(result.TagCount, 3)
    assert.equal(result.DeleteMarker, false)
  })

  it('HeadObject: headers only, no body; a 404 is NotFound with no body to read', async () => {
    const { harness, client } = setup()
    const output = { ContentLength: 5, ETag: '"e"', LastModified: new Date('2024-02-03T04:05:06Z'), Metadata: { a: '1' } }
    const { result } = await harness.call(() => client.send(new s3.HeadObjectCommand({ Bucket: 'b', Key: 'k' })), { output })
    assert.deepEqual(withoutMetadata(result), output)
    const response = restXml.serializeOutput(model, model.operation('HeadObject')!, output, { requestId: 'r' })
    assert.equal(response.body, '')
    assert.equal(response.headers['content-length'], '5')
    const error = await harness.fail(() => client.send(new s3.HeadObjectCommand({ Bucket: 'b', Key: 'missing' })),
      new AwsError('NoSuchKey', 'The specified key does not exist.', { status: 404 }))
    assert.equal(error.name, 'NotFound')
    assert.equal(error.$metadata.httpStatusCode, 404)
    const wire = restXml.serializeError(model, new AwsError('NoSuchKey', 'gone'), { requestId: 'r', operation: model.operation('HeadObject')! })
    assert.deepEqual([wire.status, wire.body], [404, ''])
  })

  it('ListObjectsV2: a query literal route, query inputs; flattened lists, timestamps, nested structures back', async () => {
    const { harness, client } = setup()
    const input = { Bucket: 'b', Prefix: 'photos/', Delimiter: '/', MaxKeys: 2, StartAfter: 'photos/a', FetchOwner: true }
    const output = {
      Name: 'b', Prefix: 'photos/', Delimiter: '/', MaxKeys: 2, KeyCount: 2, IsTruncated: true, NextContinuationToken: 'tok',
      Contents: [
        { Key: 'photos/a&b.jpg', Size: 10, ETag: '"1"', LastModified: new Date('2024-01-01T00:00:00Z'), StorageClass: 'STANDARD' as const,
          Owner: { ID: 'owner-id', DisplayName: 'me' } },
        { Key: 'photos/c<d>.jpg', Size: 0, LastModified: new Date('2024-01-02T00:00:00.123Z') },
      ],
      CommonPrefixes: [{ Prefix: 'photos/2023/' }, { Prefix: 'photos/2024/' }],
    }
    const { parsed, request, result } = await harness.call(() => client.send(new s3.ListObjectsV2Command(input)), { output })
    assert.equal(parsed.operation.name, 'ListObjectsV2')
    assert.equal(request.query.get('list-type'), '2')
    assert.deepEqual(parsed.input, input)
    assert.deepEqual(withoutMetadata(result), output)
  })

  it('ListBuckets: GET / with a wrapped list back', async () => {
    const { harness, client } = setup()
    const output = { Buckets: [{ Name: 'a', CreationDate: new Date('2020-01-01T00:00:00Z') }, { Name: 'b', CreationDate: new Date('2021-06-01T12:00:00Z') }],
      Owner: { ID: 'o', DisplayName: 'd' } }
    const { parsed, result } = await harness.call(() => client.send(new s3.ListBucketsCommand({})), { output })
    assert.equal(parsed.operation.name, 'ListBuckets')
    assert.deepEqual(withoutMetadata(result), output)
  })

  it('DeleteObjects: an XML payload with a flattened list and a boolean; flattened lists back', async () => {
    const { harness, client } = setup()
    const input = { Bucket: 'b', Delete: { Objects: [{ Key: 'a/1' }, { Key: 'b & c', VersionId: 'v2' }], Quiet: false } }
    const output = { Deleted: [{ Key: 'a/1' }, { Key: 'b & c', VersionId: 'v2', DeleteMarker: true }],
      Errors: [{ Key: 'x', Code: 'AccessDenied', Message: 'Access Denied' }] }
    const { parsed, request, result } = await harness.call(() => client.send(new s3.DeleteObjectsCommand(input)), { output })
    assert.equal(parsed.operation.name, 'DeleteObjects')
    assert.match(request.body.toString(), /<Delete xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">/)
    assert.deepEqual(withoutChecksums(parsed.input), withoutChecksums(input))
    assert.equal(parsed.input.ChecksumAlgorithm, 'CRC32', 'the SDK-added checksum header binds too')
    assert.deepEqual(withoutMetadata(result), output)
  })

  it('CreateMultipartUpload, UploadPart and CompleteMultipartUpload share a template and still route apart', async () => {
    const { harness, client } = setup()
    const created = await harness.call(() => client.send(new s3.CreateMultipartUploadCommand({ Bucket: 'b', Key: 'big/file' })),
      { output: { Bucket: 'b', Key: 'big/file', UploadId: 'up-1' } })
    assert.equal(created.parsed.operation.name, 'CreateMultipartUpload')
    assert.equal(created.result.UploadId, 'up-1')
    const part = await harness.call(() => client.send(new s3.UploadPartCommand({ Bucket: 'b', Key: 'big/file', UploadId: 'up-1', PartNumber: 1, Body: 'x' })),
      { output: { ETag: '"p1"' } })
    assert.equal(part.parsed.operation.name, 'UploadPart')
    assert.equal(part.parsed.input.PartNumber, 1)
    const input = { Bucket: 'b', Key: 'big/file', UploadId: 'up-1',
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"p1"' }, { PartNumber: 2, ETag: '"p2"' }] } }
    const done = await harness.call(() => client.send(new s3.CompleteMultipartUploadCommand(input)),
      { output: { Location: 'http://b/big/file', Bucket: 'b', Key: 'big/file', ETag: '"all-2"' } })
    assert.equal(done.parsed.operation.name, 'CompleteMultipartUpload')
    assert.deepEqual(done.parsed.input, input)
    assert.equal(done.result.ETag, '"all-2"')
  })

  it('CreateBucket: a structure payload with its namespace; a header member back', async () => {
    const { harness, client } = setup()
    const input = { Bucket: 'new-bucket', ACL: 'private' as const, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' as const } }
    const { parsed, result } = await harness.call(() => client.send(new s3.CreateBucketCommand(input)), { output: { Location: '/new-bucket' } })
    assert.deepEqual(parsed.input, input)
    assert.equal(result.Location, '/new-bucket')
  })

  it('PutBucketAcl and GetBucketAcl: xmlAttribute members (xsi:type) and renamed wrapped lists both ways', async () => {
    const { harness, client } = setup()
    const policy = { Owner: { ID: 'o' }, Grants: [
      { Grantee: { Type: 'CanonicalUser' as const, ID: 'u1', DisplayName: 'one' }, Permission: 'FULL_CONTROL' as const },
      { Grantee: { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' as const },
    ] }
    const put = await harness.call(() => client.send(new s3.PutBucketAclCommand({ Bucket: 'b', AccessControlPolicy: policy })), { output: {} })
    assert.deepEqual(withoutChecksums(put.parsed.input), { Bucket: 'b', AccessControlPolicy: policy })
    const got = await harness.call(() => client.send(new s3.GetBucketAclCommand({ Bucket: 'b' })), { output: policy })
    const response = restXml.serializeOutput(model, model.operation('GetBucketAcl')!, policy, { requestId: 'r' })
    assert.match(String(response.body), /<Grantee xmlns:xsi="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser">/)
    assert.match(String(response.body), /<AccessControlList><Grant>/)
    assert.deepEqual(withoutMetadata(got.result), policy)
  })

  it('PutObjectTagging and GetObjectTagging: wrapped TagSet lists both ways', async () => {
    const { harness, client } = setup()
    const Tagging = { TagSet: [{ Key: 'k1', Value: 'v1' }, { Key: 'k 2', Value: '<v2>' }] }
    const put = await harness.call(() => client.send(new s3.PutObjectTaggingCommand({ Bucket: 'b', Key: 'a/b', Tagging })), { output: { VersionId: '7' } })
    assert.deepEqual(withoutChecksums(put.parsed.input), { Bucket: 'b', Key: 'a/b', Tagging })
    assert.equal(put.result.VersionId, '7')
    const got = await harness.call(() => client.send(new s3.GetObjectTaggingCommand({ Bucket: 'b', Key: 'a/b' })),
      { output: { VersionId: '7', TagSet: Tagging.TagSet } })
    assert.equal(got.parsed.operation.name, 'GetObjectTagging')
    assert.deepEqual(withoutMetadata(got.result), { VersionId: '7', TagSet: Tagging.TagSet })
  })

  it('a modelled error: S3\'s bare <Error> with the status from the model and extra fields', async () => {
    const { harness, client } = setup()
    const error = await harness.fail(() => client.send(new s3.GetObjectCommand({ Bucket: 'b', Key: 'missing/key' })),
      new AwsError('NoSuchKey', 'The specified key does not exist.', { fields: { Key: 'missing/key' } }))
    assert.ok(error instanceof s3.NoSuchKey)
    assert.equal(error.name, 'NoSuchKey')
    assert.equal(error.message, 'The specified key does not exist.')
    assert.equal(error.$metadata.httpStatusCode, 404)
    assert.equal(error.$metadata.requestId, 'req-1234')
    // Extra <Error> members the model doesn't declare still reach the exception object.
    assert.equal((error as { Key?: string }).Key, 'missing/key')
    const wire = restXml.serializeError(model, new AwsError('NoSuchKey', 'gone', { fields: { Key: 'k' } }), { requestId: 'r' })
    assert.equal(String(wire.body),
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>gone</Message><Key>k</Key><RequestId>r</RequestId></Error>')
  })

  it('an unmodelled error keeps its code and status', async () => {
    const { harness, client } = setup()
    const error = await harness.fail(() => client.send(new s3.ListBucketsCommand({})),
      new AwsError('AccessDenied', 'Access Denied', { status: 403 }))
    assert.equal(error.name, 'AccessDenied')
    assert.equal(error.message, 'Access Denied')
    assert.equal(error.$metadata.httpStatusCode, 403)
  })

  it('a service may declare the <ErrorResponse> envelope (Route 53, CloudFront); SDKs read it too', async () => {
    const { harness, client } = setup({ xmlErrorEnvelope: 'ErrorResponse' })
    const error = await harness.fail(() => client.send(new s3.ListBucketsCommand({})),
      new AwsError('SlowDown', 'Please reduce your request rate.', { status: 503 }))
    assert.equal(error.name, 'SlowDown')
    assert.equal(error.message, 'Please reduce your request rate.')
    assert.equal(error.$metadata.httpStatusCode, 503)
    const wire = restXml.serializeError(harness.model, new AwsError('SlowDown', 'x', { status: 503 }), { requestId: 'r' })
    assert.equal(String(wire.body), '<?xml version="1.0" encoding="UTF-8"?><ErrorResponse><Error><Type>Receiver</Type>'
      + '<Code>SlowDown</Code><Message>x</Message></Error><RequestId>r</RequestId></ErrorResponse>')
  })

  it('a body that is not XML, or declares a DOCTYPE, is MalformedXML', () => {
    const request = { method: 'POST', rawPath: '/b', query: new URLSearchParams('delete'), headers: {}, body: Buffer.from('<Delete><Object>') }
    assert.throws(() => restXml.parseRequest(request, model), (e: AwsError) => e.code === 'MalformedXML' && e.status === 400)
    const doctype = { ...request, body: Buffer.from('<!DOCTYPE x [<!ENTITY a "aaaa">]><Delete><Object><Key>&a;</Key></Object></Delete>') }
    assert.throws(() => restXml.parseRequest(doctype, model), (e: AwsError) => e.code === 'MalformedXML')
  })
})
