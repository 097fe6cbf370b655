import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { HttpRequest } from '../protocol/http.ts'
import { credentialScope, resolveCaller } from './caller.ts'

const request = (headers: Record<string, string>, query = ''): HttpRequest =>
  ({ method: 'POST', rawPath: '/', query: new URLSearchParams(query), headers, body: Buffer.alloc(0) })

describe('caller', () => {
  it('reads the credential scope from a SigV4 Authorization header', () => {
    const scope = credentialScope(request({
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-2/sqs/aws4_request, SignedHeaders=host, Signature=abc',
    }))
    assert.deepEqual(scope, { accessKeyId: 'AKIDEXAMPLE', region: 'eu-west-2', service: 'sqs' })
  })

  it('reads it from a presigned URL', () => {
    const scope = credentialScope(request({}, 'X-Amz-Credential=AKID%2F20260101%2Fus-west-2%2Fs3%2Faws4_request'))
    assert.deepEqual(scope, { accessKeyId: 'AKID', region: 'us-west-2', service: 's3' })
  })

  it('treats a 12-digit access key as the account id, anything else as the default account', () => {
    assert.equal(resolveCaller({ accessKeyId: '111122223333', region: 'us-east-1', service: 'sqs' }, 'x').account, '111122223333')
    assert.equal(resolveCaller({ accessKeyId: 'test', region: 'us-east-1', service: 'sqs' }, 'x').account, '000000000000')
    assert.equal(resolveCaller(undefined, 'ap-south-1').region, 'ap-south-1')
  })
})
