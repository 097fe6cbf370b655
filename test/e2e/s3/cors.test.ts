// Bucket CORS applied to browser requests: preflights answered by the bucket's rules (or refused),
// CORS headers on actual responses only where a rule allows them; other services keep the
// gateway's own preflight answers (loopback and configured origins only).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateBucketCommand, PutBucketCorsCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const s3 = () => s3Client(nimbus.current)

function preflight(path: string, origin: string, method: string, headers?: string, host?: string) {
  return rawRequest(nimbus.current.endpoint, { method: 'OPTIONS', path, headers: {
    origin, 'access-control-request-method': method, ...(headers === undefined ? {} : { 'access-control-request-headers': headers }),
    ...(host === undefined ? {} : { host }),
  } })
}

async function corsBucket(): Promise<string> {
  const Bucket = bucketName('cors')
  await s3().send(new CreateBucketCommand({ Bucket }))
  await s3().send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [
    { AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['x-amz-*', 'Content-Type'],
      ExposeHeaders: ['ETag', 'x-amz-version-id'], MaxAgeSeconds: 600 },
    { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
  ] } }))
  await s3().send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'hello' }))
  return Bucket
}

describe('S3 CORS', () => {
  it('answers a matching preflight by the first rule that allows origin, method and headers', async () => {
    const Bucket = await corsBucket()
    const ok = await preflight(`/${Bucket}/k`, 'https://app.example.com', 'PUT', 'Content-Type, X-Amz-Date')
    assert.equal(ok.status, 200)
    assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example.com')
    assert.equal(ok.headers['access-control-allow-methods'], 'GET, PUT')
    assert.equal(ok.headers['access-control-allow-headers'], 'content-type, x-amz-date')
    assert.equal(ok.headers['access-control-expose-headers'], 'ETag, x-amz-version-id')
    assert.equal(ok.headers['access-control-max-age'], '600')
    assert.equal(ok.headers['access-control-allow-credentials'], 'true')
    assert.equal(ok.headers['vary'], 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method')

    const any = await preflight(`/${Bucket}/k`, 'https://other.org', 'GET')
    assert.equal(any.status, 200)
    assert.equal(any.headers['access-control-allow-origin'], '*')
    assert.equal(any.headers['access-control-allow-credentials'], undefined)

    // Virtual-host style names the bucket in the Host header.
    const vhost = await preflight('/k', 'https://app.example.com', 'PUT', undefined, `${Bucket}.s3.localhost.localstack.cloud`)
    assert.equal(vhost.status, 200)
  })

  it('refuses preflights no rule allows, and every preflight of a bucket without CORS', async () => {
    const Bucket = await corsBucket()
    for (const [origin, method, headers] of [['https://evil.com', 'PUT', undefined], ['https://app.example.com', 'DELETE', undefined],
      ['https://app.example.com', 'PUT', 'x-custom']] as const) {
      const refused = await preflight(`/${Bucket}/k`, origin, method, headers)
      assert.equal(refused.status, 403, `${origin} ${method} ${headers}`)
      assert.match(refused.body, /<Code>AccessForbidden<\/Code><Message>CORSResponse: This CORS request is not allowed/)
      assert.match(refused.body, new RegExp(`<Method>${method}</Method><ResourceType>OBJECT</ResourceType>`))
      assert.equal(refused.headers['access-control-allow-origin'], undefined)
    }
    const plain = bucketName('nocors')
    await s3().send(new CreateBucketCommand({ Bucket: plain }))
    const off = await preflight(`/${plain}`, 'https://app.example.com', 'GET')
    assert.equal(off.status, 403)
    assert.match(off.body, /CORSResponse: CORS is not enabled for this bucket\./)
    assert.match(off.body, /<ResourceType>BUCKET<\/ResourceType>/)
  })

  it('answers OPTIONS without Origin with 400, and with Origin but no method on a bucket without CORS with 403', async () => {
    const plain = bucketName('nocors2')
    await s3().send(new CreateBucketCommand({ Bucket: plain }))
    const bare = await rawRequest(nimbus.current.endpoint, { method: 'OPTIONS', path: `/${plain}/k` })
    assert.equal(bare.status, 400)
    assert.match(bare.body, /<Message>Insufficient information\. Origin request header needed\.<\/Message>/)
    const noMethod = await rawRequest(nimbus.current.endpoint, { method: 'OPTIONS', path: `/${plain}/k`, headers: { origin: 'https://a.example' } })
    assert.equal(noMethod.status, 403)
    assert.match(noMethod.body, /<Code>AccessForbidden<\/Code>/)
    const Bucket = await corsBucket()
    const withCors = await rawRequest(nimbus.current.endpoint, { method: 'OPTIONS', path: `/${Bucket}/k`,
      headers: { origin: 'https://app.example.com' } })
    assert.equal(withCors.status, 400)
  })

  it('adds CORS headers to actual responses only where a rule allows origin and method', async () => {
    const Bucket = await corsBucket()
    const get = await fetch(`${nimbus.current.endpoint}/${Bucket}/k`, { headers: { origin: 'https://app.example.com', ...signedBy('s3') } })
    assert.equal(await get.text(), 'hello')
    assert.equal(get.headers.get('access-control-allow-origin'), 'https://app.example.com')
    assert.equal(get.headers.get('access-control-expose-headers'), 'ETag, x-amz-version-id')
    assert.equal(get.headers.get('access-control-max-age'), '600')
    assert.match(get.headers.get('vary') ?? '', /^Origin/)
    const put = await fetch(`${nimbus.current.endpoint}/${Bucket}/k2`, { method: 'PUT', body: 'x', headers: { origin: 'https://evil.com', ...signedBy('s3') } })
    assert.equal(put.status, 200)
    assert.equal(put.headers.get('access-control-allow-origin'), null, 'no rule allows PUT from evil.com')
    const missing = await fetch(`${nimbus.current.endpoint}/${Bucket}/nope`, { headers: { origin: 'https://evil.com', ...signedBy('s3') } })
    assert.equal(missing.status, 404)
    assert.equal(missing.headers.get('access-control-allow-origin'), '*', 'errors carry CORS headers too')
  })

  it('leaves preflights of other services and of unknown buckets to the gateway, which answers loopback origins only', async () => {
    const sqs = await preflight('/', 'http://localhost:3000', 'POST', 'content-type, x-amz-target')
    assert.equal(sqs.status, 200)
    assert.equal(sqs.headers['access-control-allow-origin'], 'http://localhost:3000')
    const unknown = await preflight(`/${bucketName('never')}/k`, 'http://127.0.0.1:8080', 'PUT')
    assert.equal(unknown.status, 200)
    const foreign = await preflight(`/${bucketName('never')}/k`, 'https://app.example.com', 'PUT')
    assert.equal(foreign.status, 403)
    assert.equal(foreign.headers['access-control-allow-origin'], undefined)
  })

  it('refuses CORS configurations AWS refuses', async () => {
    const Bucket = bucketName('badcors')
    await s3().send(new CreateBucketCommand({ Bucket }))
    const method = await sdkError(s3().send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [
      { AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] } })))
    assert.equal(method.name, 'InvalidRequest')
    const wildcards = await sdkError(s3().send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [
      { AllowedOrigins: ['https://*.*.com'], AllowedMethods: ['GET'] }] } })))
    assert.equal(wildcards.name, 'InvalidRequest')
  })
})
