// REST routing over the real S3 and Lambda models, without the SDK's `x-id` hint.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AwsError } from '../../src/protocol/errors.ts'
import type { HttpRequest } from '../../src/protocol/http.ts'
import { ServiceModel } from '../../src/protocol/model.ts'
import { RestRouter, routerFor } from '../../src/protocol/rest-router.ts'
import { restXml } from '../../src/protocol/rest-xml/rest-xml.ts'
import { model as lambdaModel } from '../../src/services/lambda/generated/model.ts'
import { model as s3Model } from '../../src/services/s3/generated/model.ts'

const s3 = new ServiceModel(s3Model)
const lambda = new ServiceModel(lambdaModel)

function request(method: string, target: string, headers: Record<string, string> = {}): HttpRequest {
  const q = target.indexOf('?')
  return { method, rawPath: q === -1 ? target : target.slice(0, q), query: new URLSearchParams(q === -1 ? '' : target.slice(q + 1)),
    headers, body: Buffer.alloc(0) }
}

const route = (model: ServiceModel, method: string, target: string, headers?: Record<string, string>) =>
  routerFor(model).match(request(method, target, headers)).operation.name

describe('REST router', () => {
  it('tells apart operations that share S3\'s /{Bucket}/{Key+} by their required query and header members', () => {
    assert.equal(route(s3, 'PUT', '/b/k'), 'PutObject')
    assert.equal(route(s3, 'PUT', '/b/k', { 'x-amz-copy-source': 'src/k' }), 'CopyObject')
    assert.equal(route(s3, 'PUT', '/b/k?partNumber=1&uploadId=u'), 'UploadPart')
    assert.equal(route(s3, 'PUT', '/b/k?partNumber=1&uploadId=u', { 'x-amz-copy-source': 'src/k' }), 'UploadPartCopy')
    assert.equal(route(s3, 'GET', '/b/k'), 'GetObject')
    assert.equal(route(s3, 'GET', '/b/k?uploadId=u'), 'ListParts')
    assert.equal(route(s3, 'DELETE', '/b/k'), 'DeleteObject')
    assert.equal(route(s3, 'DELETE', '/b/k?uploadId=u'), 'AbortMultipartUpload')
    assert.equal(route(s3, 'HEAD', '/b/k'), 'HeadObject')
    assert.equal(route(s3, 'HEAD', '/b'), 'HeadBucket')
  })

  it('prefers templates whose query literals are present, and checks literal values', () => {
    assert.equal(route(s3, 'GET', '/b'), 'ListObjects')
    assert.equal(route(s3, 'GET', '/b/'), 'ListObjects')
    assert.equal(route(s3, 'GET', '/b?list-type=2&prefix=a'), 'ListObjectsV2')
    assert.equal(route(s3, 'GET', '/b?list-type=3'), 'ListObjects')
    assert.equal(route(s3, 'GET', '/b?versions'), 'ListObjectVersions')
    assert.equal(route(s3, 'GET', '/b?uploads'), 'ListMultipartUploads')
    assert.equal(route(s3, 'POST', '/b/k?uploads'), 'CreateMultipartUpload')
    assert.equal(route(s3, 'POST', '/b/k?uploadId=u'), 'CompleteMultipartUpload')
    assert.equal(route(s3, 'POST', '/b?delete'), 'DeleteObjects')
    assert.equal(route(s3, 'GET', '/b?acl'), 'GetBucketAcl')
    assert.equal(route(s3, 'GET', '/b/k?acl'), 'GetObjectAcl')
    assert.equal(route(s3, 'GET', '/b?analytics&id=x'), 'GetBucketAnalyticsConfiguration')
    assert.equal(route(s3, 'GET', '/b?analytics'), 'ListBucketAnalyticsConfigurations')
    assert.equal(route(s3, 'GET', '/'), 'ListBuckets')
    assert.equal(route(lambda, 'GET', '/2018-10-31/layers?find=LayerVersion&Arn=x'), 'GetLayerVersionByArn')
    assert.equal(route(lambda, 'GET', '/2018-10-31/layers'), 'ListLayers')
  })

  it('matches labels segment by segment, a trailing slash either way, and most literal path first', () => {
    assert.equal(route(lambda, 'GET', '/2015-03-31/functions'), 'ListFunctions')
    assert.equal(route(lambda, 'GET', '/2015-03-31/functions/'), 'ListFunctions')
    assert.equal(route(lambda, 'GET', '/2015-03-31/functions/f'), 'GetFunction')
    assert.equal(route(lambda, 'GET', '/2015-03-31/functions/f/configuration'), 'GetFunctionConfiguration')
    assert.equal(route(lambda, 'POST', '/2015-03-31/functions/f/invocations'), 'Invoke')
    const match = routerFor(lambda).match(request('GET', '/2015-03-31/functions/my%3Afn/aliases/live'))
    assert.equal(match.operation.name, 'GetAlias')
    assert.deepEqual(match.labels, { FunctionName: 'my%3Afn', Name: 'live' })
  })

  it('follows the SDK\'s x-id hint, and a service\'s declared preference on a true tie', () => {
    assert.equal(route(s3, 'PUT', '/b/k?x-id=PutObject', { 'x-amz-copy-source': 'src/k' }), 'PutObject')
    assert.equal(route(s3, 'GET', '/b?lifecycle'), 'GetBucketLifecycle', 'model order without a preference')
    const preferring = new RestRouter(new ServiceModel(s3Model, { preferredOperations: ['GetBucketLifecycleConfiguration'] }))
    assert.equal(preferring.match(request('GET', '/b?lifecycle')).operation.name, 'GetBucketLifecycleConfiguration')
  })

  it('answers 405 for a known path with another method and 404 for an unknown path', () => {
    assert.throws(() => routerFor(s3).match(request('PATCH', '/b/k')), (e: AwsError) => e.code === 'MethodNotAllowed' && e.status === 405)
    assert.throws(() => routerFor(lambda).match(request('GET', '/nope')), (e: AwsError) => e.code === 'UnknownOperationException' && e.status === 404)
  })

  it('decodes labels per label: a greedy key keeps its slashes, %2F included; bad escapes are refused', () => {
    const parsed = restXml.parseRequest(request('GET', '/my-bucket/a/b%2Fc/%C3%A9t%C3%A9%20x%2B%3F'), s3)
    assert.deepEqual(parsed.input, { Bucket: 'my-bucket', Key: 'a/b/c/été x+?' })
    assert.deepEqual(restXml.parseRequest(request('GET', '/b//leading-slash'), s3).input, { Bucket: 'b', Key: '/leading-slash' })
    assert.throws(() => restXml.parseRequest(request('GET', '/b/%E0%A4%A'), s3), (e: AwsError) => e.code === 'InvalidArgument')
  })
})
