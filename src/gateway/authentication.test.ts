import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { HttpRequest } from '../protocol/http.ts'
import { credentialsOf, incompleteSignature, missingAuthentication } from './authentication.ts'

const request = (headers: Record<string, string>, query = '', body = ''): HttpRequest =>
  ({ method: 'POST', rawPath: '/', query: new URLSearchParams(query), headers, body: Buffer.from(body) })

const sigv4 = 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc'

describe('credentialsOf', () => {
  it('counts a SigV4 header, presigned queries and SigV2 query signatures; nothing else', () => {
    assert.equal(credentialsOf(request({ authorization: sigv4 }), 'json'), 'signed')
    assert.equal(credentialsOf(request({}, 'X-Amz-Credential=a%2Fb&X-Amz-Signature=00'), 'rest-xml'), 'signed')
    assert.equal(credentialsOf(request({}, 'AWSAccessKeyId=a&Signature=00&Expires=1'), 'rest-xml'), 'signed')
    assert.equal(credentialsOf(request({ 'content-type': 'application/x-www-form-urlencoded' }, '', 'Action=ListQueues&AWSAccessKeyId=a&Signature=s'), 'query'),
      'signed')
    assert.equal(credentialsOf(request({ authorization: 'AWS AKID:c2ln' }), 'rest-xml'), 'signed')
    assert.equal(credentialsOf(request({}), 'json'), 'anonymous')
    assert.equal(credentialsOf(request({}, 'X-Amz-Credential=a'), 'rest-xml'), 'anonymous')
    assert.equal(credentialsOf(request({ 'content-type': 'text/plain' }, '', 'AWSAccessKeyId=a&Signature=s'), 'query'), 'anonymous')
    assert.deepEqual(credentialsOf(request({ authorization: 'AWS AKID:c2ln' }), 'query'), { malformed: 'AWS AKID:c2ln' })
    assert.deepEqual(credentialsOf(request({ authorization: 'AWS4-HMAC-SHA256 Credential=x' }), 'json'), { malformed: 'AWS4-HMAC-SHA256 Credential=x' })
  })
})

describe('AWS answers to missing or unreadable credentials', () => {
  it('words each protocol as AWS does', () => {
    assert.deepEqual([missingAuthentication('query').code, missingAuthentication('query').status], ['MissingAuthenticationToken', 403])
    assert.equal(missingAuthentication('rest-json').message, 'Missing Authentication Token')
    assert.equal(missingAuthentication('json').code, 'MissingAuthenticationTokenException')
    const incomplete = incompleteSignature('query', 'AWS4-HMAC-SHA256 Credential=x')
    assert.equal(incomplete.code, 'IncompleteSignature')
    assert.equal(incomplete.message, 'Authorization header requires \'Signature\' parameter. Authorization header requires \'SignedHeaders\' parameter. ' +
      'Authorization=AWS4-HMAC-SHA256 Credential=x')
  })
})
