// SigV4 against AWS's published vectors: the SigV4 test suite (docs.aws.amazon.com/general/latest/gr/
// signature-v4-test-suite.html: AKIDEXAMPLE, 20150830T123600Z, us-east-1, service "service"), the IAM
// signing-key example, and the S3 API reference's GET Object and chunked-upload examples.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ChunkSignatures } from './chunked-body.ts'
import { sign2, stringToSign2 } from './s3-sigv2.ts'
import {
  canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri, chunkStringToSign, EMPTY_SHA256, sha256Hex, signature, signingKey,
  stringToSign,
} from './signing.ts'

const suiteSecret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const s3Secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

function suiteSignature(method: string, path: string, query: string, extra: Record<string, string>, signed: string[], body = ''): string {
  const headers = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', ...extra }
  const canonical = canonicalRequest({ method, uri: canonicalUri(path, false), query: canonicalQuery(query),
    headers: canonicalHeaders(headers, signed), signedHeaders: signed.join(';'), payloadHash: sha256Hex(body) })
  return signature(signingKey(suiteSecret, '20150830', 'us-east-1', 'service'),
    stringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', canonical))
}

describe('SigV4 test suite', () => {
  it('get-vanilla', () => {
    assert.equal(suiteSignature('GET', '/', '', {}, ['host', 'x-amz-date']), '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')
  })
  it('get-vanilla-query-order-key-case: parameters sorted by name', () => {
    assert.equal(suiteSignature('GET', '/', 'Param2=value2&Param1=value1', {}, ['host', 'x-amz-date']),
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500')
  })
  it('post-vanilla', () => {
    assert.equal(suiteSignature('POST', '/', '', {}, ['host', 'x-amz-date']), '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b')
  })
  it('post-x-www-form-urlencoded: the body hashed, content-type signed', () => {
    assert.equal(suiteSignature('POST', '/', '', { 'content-type': 'application/x-www-form-urlencoded' }, ['content-type', 'host', 'x-amz-date'],
      'Param1=value1'), 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a')
  })
  it("the IAM guide's derived signing key", () => {
    assert.equal(signingKey(suiteSecret, '20120215', 'us-east-1', 'iam').toString('hex'),
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d')
  })
})

describe('canonical parts', () => {
  it('non-S3 paths are normalised and encoded twice; S3 paths are kept as sent', () => {
    assert.equal(canonicalUri('//a/./b/../c/', false), '/a/c/')
    assert.equal(canonicalUri('/2015-03-31/functions/arn%3Aaws%3Alambda/invocations', false), '/2015-03-31/functions/arn%253Aaws%253Alambda/invocations')
    assert.equal(canonicalUri('/bucket/a//b/../c%20d', true), '/bucket/a//b/../c%20d')
  })
  it('query: + is a plus, values encoded per RFC 3986, a presigned signature left out', () => {
    assert.equal(canonicalQuery('b=a+b&a=%7e&X-Amz-Signature=x&c', 'X-Amz-Signature'), 'a=~&b=a%2Bb&c=')
    assert.equal(canonicalQuery(new URLSearchParams('prefix=a b')), 'prefix=a%20b')
  })
  it('header values trimmed and inner spaces collapsed', () => {
    assert.equal(canonicalHeaders({ 'my-header1': '  a   b   c ' }, ['my-header1']), 'my-header1:a b c\n')
  })
})

describe('S3 examples (API reference, examplebucket)', () => {
  const key = signingKey(s3Secret, '20130524', 'us-east-1', 's3')
  const scope = '20130524/us-east-1/s3/aws4_request'
  it('GET Object with a Range', () => {
    const headers = { host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': '20130524T000000Z' }
    const signed = ['host', 'range', 'x-amz-content-sha256', 'x-amz-date']
    const canonical = canonicalRequest({ method: 'GET', uri: canonicalUri('/test.txt', true), query: '', headers: canonicalHeaders(headers, signed),
      signedHeaders: signed.join(';'), payloadHash: EMPTY_SHA256 })
    const toSign = stringToSign('20130524T000000Z', scope, canonical)
    assert.equal(sha256Hex(canonical), '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972')
    assert.equal(signature(key, toSign), 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41')
  })

  // PUT /examplebucket/chunkObject.txt: 64 KiB then 1 KiB of 'a', seed 4f232c43…
  const seed = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9'
  const chunk1 = 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648'
  const chunk2 = '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'
  const final = 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'
  const body = (second = chunk2) => Buffer.concat([
    Buffer.from(`10000;chunk-signature=${chunk1}\r\n`), Buffer.alloc(65536, 'a'), Buffer.from('\r\n'),
    Buffer.from(`400;chunk-signature=${second}\r\n`), Buffer.alloc(1024, 'a'), Buffer.from('\r\n'),
    Buffer.from(`0;chunk-signature=${final}\r\n\r\n`),
  ])
  const checker = () => new ChunkSignatures(key, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', amzDate: '20130524T000000Z', scope, provided: seed }, false)

  it('chunk signatures chain from the seed', () => {
    assert.equal(signature(key, chunkStringToSign('20130524T000000Z', scope, seed, sha256Hex(Buffer.alloc(65536, 'a')))), chunk1)
    const whole = body()
    const chunks = checker()
    // Fed in uneven pieces, as a socket delivers them.
    for (let at = 0; at < whole.length; at += 7777) chunks.push(whole.subarray(at, at + 7777))
  })
  it('a chunk with a wrong signature is SignatureDoesNotMatch', () => {
    assert.throws(() => checker().push(body(chunk1)), { code: 'SignatureDoesNotMatch', status: 403 })
  })
})

describe("S3's SigV2 (the S3 developer guide's example)", () => {
  it('GET /photos/puppy.jpg from johnsmith, virtual-hosted, dated by Date', () => {
    const request = { method: 'GET', rawPath: '/photos/puppy.jpg', query: new URLSearchParams(), body: Buffer.alloc(0),
      headers: { host: 'johnsmith.s3.amazonaws.com', date: 'Tue, 27 Mar 2007 19:36:42 +0000' } }
    const toSign = stringToSign2(request, request.headers.date, '/johnsmith/photos/puppy.jpg')
    assert.equal(toSign, 'GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg')
    assert.equal(sign2(s3Secret, toSign), 'bWq2s1WEIj+Ydj0vQ697zp+IXMU=')
  })
})
