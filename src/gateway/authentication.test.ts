import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { HttpRequest } from '../protocol/http.ts'
import { credentialsOf, incompleteSignature, missingAuthentication } from './authentication.ts'
import { corsOrigins } from './cors.ts'

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

describe('credentialsOf from a web page', () => {
  const origins = corsOrigins(['https://app.example'])
  const presigned = 'X-Amz-Credential=a%2Fb&X-Amz-Signature=00'
  it('counts a query or form signature from an untrusted page as none, except S3 presigned URLs', () => {
    assert.equal(credentialsOf(request({ origin: 'https://evil.example' }, presigned), 'rest-json', origins), 'anonymous')
    assert.equal(credentialsOf(request({ 'sec-fetch-site': 'cross-site' }, presigned), 'query', origins), 'anonymous')
    assert.equal(credentialsOf(request({ origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, '',
      'Action=ListQueues&AWSAccessKeyId=a&Signature=s'), 'query', origins), 'anonymous')
    assert.equal(credentialsOf(request({ origin: 'https://evil.example' }, presigned), 'rest-xml', origins), 'signed')
  })
  it('trusts loopback and listed origins, same-site fetches and clients that are no browser', () => {
    assert.equal(credentialsOf(request({ origin: 'http://localhost:5173' }, presigned), 'rest-json', origins), 'signed')
    assert.equal(credentialsOf(request({ origin: 'https://app.example' }, presigned), 'rest-json', origins), 'signed')
    assert.equal(credentialsOf(request({ 'sec-fetch-site': 'same-site' }, presigned), 'query', origins), 'signed')
    assert.equal(credentialsOf(request({}, presigned), 'query', origins), 'signed')
    assert.equal(credentialsOf(request({ 'sec-fetch-site': 'cross-site' }, presigned), 'query', corsOrigins(['*'])), 'signed')
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
