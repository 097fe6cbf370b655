import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { HttpRequest } from '../protocol/http.ts'
import { AccessKeyDirectory, accountOfAccessKeyId, newAccessKeyId } from '../core/access-keys.ts'
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

  it('resolves a key Nimbus issued to its owner account through the directory; unknown keys stay default', () => {
    const keys = new AccessKeyDirectory()
    const issued = newAccessKeyId('ASIA', '123456789012')
    keys.set(issued, { account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/r/s', userId: 'AROAX:s' })
    const scope = (accessKeyId: string) => ({ accessKeyId, region: 'us-east-1', service: 'sqs' })
    assert.equal(resolveCaller(scope(issued), 'x', keys).account, '123456789012')
    assert.equal(resolveCaller(scope(newAccessKeyId('ASIA', '999988887777')), 'x', keys).account, '000000000000')
    assert.equal(resolveCaller(scope('111122223333'), 'x', keys).account, '111122223333')
  })

  it('encodes the account in AWS-format key ids as AWS does', () => {
    // A real temporary key id quoted in public analyses of AWS's key layout; it decodes to 609629065308.
    assert.equal(accountOfAccessKeyId('ASIAY34FZKBOKMUTVV7A'), '609629065308')
    assert.equal(accountOfAccessKeyId(newAccessKeyId('AKIA', '000000000001')), '000000000001')
    assert.equal(accountOfAccessKeyId('test'), undefined)
  })
})
