// `verifySignatures` and S3's ways of signing: presigned URLs (valid, tampered, expired on the manual
// clock), multipart and streamed uploads, signed aws-chunked bodies (chunk signatures checked),
// x-amz-content-sha256 against the body, virtual-host requests, time skew, and boto3 (SigV4 calls,
// its SigV2 presigned URLs and POST policies) with the right and a wrong secret.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { Agent } from 'node:http'
import { Readable } from 'node:stream'
import { crc32 } from 'node:zlib'
import { promisify } from 'node:util'
import { describe, it } from 'node:test'
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutBucketTaggingCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { SignatureV4 } from '@smithy/signature-v4'
import {
  canonicalHeaders, canonicalRequest, chunkStringToSign, EMPTY_SHA256, formatAmzDate, sha256Hex, signature, signingKey, stringToSign,
  trailerStringToSign,
} from '../../../src/gateway/sigv4/signing.ts'
import { Sha256 } from '../../helpers/execute-api-signer.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'

const nimbus = useNimbus({ verifySignatures: true })
const run = promisify(execFile)
const Bucket = 'signed-bucket'
const client = (secretAccessKey = 'test', extra: Record<string, unknown> = {}) => new S3Client({ endpoint: nimbus.current.endpoint,
  region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey }, forcePathStyle: true, ...extra })

/**
 * A PUT signed STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] (Java and Go SDKs over HTTP): seed in the
 * header, each chunk chained on it, then (with a trailer) a CRC32 trailer and its signature.
 */
function chunkedPut(path: string, chunks: Buffer[], options: { tamper?: 'chunk' | 'trailer'; trailer?: boolean } = {}):
  { headers: Record<string, string>; body: Buffer } {
  const amzDate = formatAmzDate(nimbus.current.clock.now())
  const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`
  const mode = options.trailer === true ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat(chunks)))
  const trailerLines = options.trailer === true ? `x-amz-checksum-crc32:${crc.toString('base64')}\n` : ''
  const frame = (chunk: Buffer, sig: string) => Buffer.from(`${chunk.length.toString(16)};chunk-signature=${sig}\r\n`)
  const tail = (sig: string) => options.trailer === true ? `${trailerLines.replace('\n', '\r\n')}x-amz-trailer-signature:${sig}\r\n\r\n` : '\r\n'
  const length = chunks.reduce((n, c) => n + frame(c, '0'.repeat(64)).length + c.length + 2, 0) + frame(Buffer.alloc(0), '0'.repeat(64)).length
    + tail('0'.repeat(64)).length
  const headers: Record<string, string> = { 'content-encoding': 'aws-chunked', 'content-length': String(length), host: new URL(nimbus.current.endpoint).host,
    'x-amz-content-sha256': mode, 'x-amz-date': amzDate, 'x-amz-decoded-content-length': String(chunks.reduce((n, c) => n + c.length, 0)),
    ...(options.trailer === true && { 'x-amz-trailer': 'x-amz-checksum-crc32' }) }
  const names = Object.keys(headers).sort()
  const key = signingKey('test', amzDate.slice(0, 8), 'us-east-1', 's3')
  const canonical = canonicalRequest({ method: 'PUT', uri: path, query: '', headers: canonicalHeaders(headers, names), signedHeaders: names.join(';'),
    payloadHash: mode })
  let previous = signature(key, stringToSign(amzDate, scope, canonical))
  headers.authorization = `AWS4-HMAC-SHA256 Credential=test/${scope}, SignedHeaders=${names.join(';')}, Signature=${previous}`
  const parts = chunks.map((chunk, i) => {
    previous = signature(key, chunkStringToSign(amzDate, scope, previous, sha256Hex(chunk)))
    const sent = options.tamper === 'chunk' && i === 1 ? Buffer.from(chunk.toString().toUpperCase()) : chunk
    return Buffer.concat([frame(chunk, previous), sent, Buffer.from('\r\n')])
  })
  previous = signature(key, chunkStringToSign(amzDate, scope, previous, EMPTY_SHA256))
  parts.push(frame(Buffer.alloc(0), previous))
  const trailerSignature = signature(key, trailerStringToSign(amzDate, scope, previous, sha256Hex(trailerLines)))
  parts.push(Buffer.from(tail(options.tamper === 'trailer' ? trailerSignature.replace(/^./, (c) => (c === '0' ? '1' : '0')) : trailerSignature)))
  delete headers.host
  return { headers, body: Buffer.concat(parts) }
}

// First: the S3 tests below move the manual clock past what a client signing with the wall clock may be off by.
describe('verify signatures: boto3', () => {
  it('SigV4 calls, SigV2 presigned URLs and POST policies pass with the right secret and fail with a wrong one', async () => {
    const script = `
import json, os, boto3, botocore, requests
from botocore.config import Config
def c(svc, secret='test', **kw):
    return boto3.client(svc, endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key=secret, **kw)
out = {}
s3 = c('s3')
s3.create_bucket(Bucket='boto-signed')
s3.put_object(Bucket='boto-signed', Key='k', Body=b'x' * 100000)
out['get'] = len(s3.get_object(Bucket='boto-signed', Key='k')['Body'].read())
out['presigned'] = requests.get(s3.generate_presigned_url('get_object', Params={'Bucket': 'boto-signed', 'Key': 'k'})).status_code
out['presignedWrong'] = requests.get(c('s3', 'wrong').generate_presigned_url('get_object', Params={'Bucket': 'boto-signed', 'Key': 'k'})).status_code
for name, secret in [('post', 'test'), ('postWrong', 'wrong')]:
    post = c('s3', secret).generate_presigned_post('boto-signed', name)
    out[name] = requests.post(post['url'], data=post['fields'], files={'file': ('f.txt', b'hi')}).status_code
# SigV4 presigned URLs and POST policies (x-amz-signature), as boto3 makes them when configured so.
for name, secret in [('v4', 'test'), ('v4Wrong', 'wrong')]:
    s3v4 = c('s3', secret, config=Config(signature_version='s3v4'))
    post = s3v4.generate_presigned_post('boto-signed', name)
    assert 'x-amz-signature' in post['fields']
    url = s3v4.generate_presigned_url('get_object', Params={'Bucket': 'boto-signed', 'Key': 'k'})
    out[name] = [requests.post(post['url'], data=post['fields'], files={'file': ('f.txt', b'hi')}).status_code, requests.get(url).status_code]
# STS's presigned GetCallerIdentity (how Vault and EKS prove an identity): SigV4 in the query string.
out['stsPresigned'] = requests.get(c('sts').generate_presigned_url('get_caller_identity', HttpMethod='GET')).status_code
out['stsPresignedWrong'] = requests.get(c('sts', 'wrong').generate_presigned_url('get_caller_identity', HttpMethod='GET')).status_code
for svc, call in [('s3', lambda cl: cl.list_buckets()), ('sqs', lambda cl: cl.list_queues()), ('sts', lambda cl: cl.get_caller_identity())]:
    call(c(svc))
    try:
        call(c(svc, 'wrong'))
        out[svc] = 'passed'
    except botocore.exceptions.ClientError as e:
        out[svc] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`
    const { stdout } = await run('python3', ['-c', script], { env: { ...process.env, ENDPOINT: nimbus.current.endpoint } })
    assert.deepEqual(JSON.parse(stdout), { get: 100000, presigned: 200, presignedWrong: 403, post: 204, postWrong: 403,
      v4: [204, 200], v4Wrong: [403, 403], stsPresigned: 200, stsPresignedWrong: 403,
      s3: ['SignatureDoesNotMatch', 403], sqs: ['SignatureDoesNotMatch', 400], sts: ['SignatureDoesNotMatch', 403] })
  })
})

describe('verify signatures: the AWS CLI', () => {
  it('uploads with the right secret; a wrong one gets SignatureDoesNotMatch', async () => {
    const env = (secret: string) => ({ ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: secret, AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_PAGER: '' })
    const aws = (secret: string, ...args: string[]) => run('aws', ['--endpoint-url', nimbus.current.endpoint, ...args], { env: env(secret) })
    await aws('test', 's3', 'mb', 's3://cli-signed')
    await aws('test', 's3', 'cp', import.meta.filename, 's3://cli-signed/copied.ts')
    await client().send(new GetObjectCommand({ Bucket: 'cli-signed', Key: 'copied.ts' }))
    await assert.rejects(aws('wrong', 'sqs', 'list-queues'), /SignatureDoesNotMatch/)
  })
})

describe('verify signatures: S3', () => {
  it('creates the bucket and takes uploads: small, streamed (unsigned trailer), and multipart through lib-storage', async () => {
    const s3 = client()
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a b/c+d~.txt', Body: 'hello' }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'streamed', Body: Readable.from([Buffer.from('stream'), Buffer.from('ed')]), ContentLength: 8 }))
    const big = Buffer.alloc(11 * 1024 * 1024, 7)
    await new Upload({ client: s3, params: { Bucket, Key: 'big', Body: Readable.from([big]) } }).done()
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big' }))
    assert.equal((await got.Body!.transformToByteArray()).length, big.length)
    const bad = await sdkError(client('wrong').send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'no' })))
    assert.deepEqual([bad.name, bad.status], ['SignatureDoesNotMatch', 403])
  })

  it('presigned GET (@aws-sdk/s3-request-presigner): valid, tampered, signed with a wrong secret', async () => {
    const url = await getSignedUrl(client(), new GetObjectCommand({ Bucket, Key: 'a b/c+d~.txt' }), { expiresIn: 60 })
    const ok = await fetch(url)
    assert.equal(await ok.text(), 'hello')
    const tampered = await fetch(url.replace('c%2Bd', 'c%2Be'))
    assert.equal(tampered.status, 403)
    const body = await tampered.text()
    assert.match(body, /<Code>SignatureDoesNotMatch<\/Code>/)
    assert.match(body, /<StringToSign>AWS4-HMAC-SHA256\n/)
    assert.match(body, /<CanonicalRequest>GET\n\/signed-bucket\/a%20b\/c%2Be~.txt\n/)
    const wrong = await fetch(await getSignedUrl(client('wrong'), new GetObjectCommand({ Bucket, Key: 'a b/c+d~.txt' })))
    assert.equal(wrong.status, 403)
  })

  it('a signed aws-chunked upload: chunk signatures checked, a tampered chunk refused', async () => {
    const put = chunkedPut(`/${Bucket}/chunked`, [Buffer.alloc(70_000, 'a'), Buffer.from('tail')])
    const ok = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/chunked`, ...put })
    assert.equal(ok.status, 200, ok.body)
    const got = await client().send(new GetObjectCommand({ Bucket, Key: 'chunked' }))
    assert.equal((await got.Body!.transformToString()).length, 70_004)
    const bad = chunkedPut(`/${Bucket}/chunked-bad`, [Buffer.alloc(70_000, 'a'), Buffer.from('tail')], { tamper: 'chunk' })
    const refused = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/chunked-bad`, ...bad })
    assert.equal(refused.status, 403)
    assert.match(refused.body, /<Code>SignatureDoesNotMatch<\/Code>.*<StringToSign>AWS4-HMAC-SHA256-PAYLOAD\n/s)
    assert.equal((await sdkError(client().send(new GetObjectCommand({ Bucket, Key: 'chunked-bad' })))).name, 'NoSuchKey')
  })

  it('a signed aws-chunked upload with a signed CRC32 trailer: the trailer signature checked too', async () => {
    const chunks = [Buffer.alloc(70_000, 'b'), Buffer.from('end')]
    const put = chunkedPut(`/${Bucket}/trailed`, chunks, { trailer: true })
    const ok = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/trailed`, ...put })
    assert.equal(ok.status, 200, ok.body)
    const got = await client().send(new GetObjectCommand({ Bucket, Key: 'trailed' }))
    assert.equal((await got.Body!.transformToString()).length, 70_003)
    const bad = chunkedPut(`/${Bucket}/trailed-bad`, chunks, { trailer: true, tamper: 'trailer' })
    const refused = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: `/${Bucket}/trailed-bad`, ...bad })
    assert.equal(refused.status, 403)
    assert.match(refused.body, /<Code>SignatureDoesNotMatch<\/Code>.*<StringToSign>AWS4-HMAC-SHA256-TRAILER\n/s)
  })

  it('x-amz-content-sha256 signed but not the body\'s hash: XAmzContentSHA256Mismatch (streamed and buffered bodies)', async () => {
    const lie = client('test', { maxAttempts: 1 })
    lie.middlewareStack.add((next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = sha256Hex('something else')
      return next(args)
    }, { step: 'build', name: 'wrongPayloadHash' })
    const streamed = await sdkError(lie.send(new PutObjectCommand({ Bucket, Key: 'lie', Body: 'the body' })))
    assert.deepEqual([streamed.name, streamed.status], ['XAmzContentSHA256Mismatch', 400])
    assert.equal(streamed.message, "The provided 'x-amz-content-sha256' header does not match what was computed.")
    assert.equal((await sdkError(client().send(new GetObjectCommand({ Bucket, Key: 'lie' })))).name, 'NoSuchKey')
    const buffered = await sdkError(lie.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } })))
    assert.deepEqual([buffered.name, buffered.status], ['XAmzContentSHA256Mismatch', 400])
  })

  it('a refused upload whose hashed body was never read leaves the keep-alive connection usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const one = client('test', { maxAttempts: 1, requestHandler: new NodeHttpHandler({ httpAgent: agent, requestTimeout: 20_000, throwOnRequestTimeout: true }) })
    for (let i = 0; i < 3; i++) {
      assert.equal((await sdkError(one.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: Buffer.alloc(2_000_000, 1) })))).name,
        'NoSuchBucket')
      await one.send(new ListBucketsCommand({}))
    }
    agent.destroy()
  })

  it('a virtual-host request is checked against the path it was signed with', async () => {
    const port = new URL(nimbus.current.endpoint).port
    const amzDate = formatAmzDate(nimbus.current.clock.now())
    const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`
    const headers = { host: `${Bucket}.s3.localhost.localstack.cloud:${port}`, 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': amzDate }
    const names = Object.keys(headers)
    const canonical = canonicalRequest({ method: 'GET', uri: '/a%20b/c%2Bd~.txt', query: '', headers: canonicalHeaders(headers, names),
      signedHeaders: names.join(';'), payloadHash: EMPTY_SHA256 })
    const sig = signature(signingKey('test', amzDate.slice(0, 8), 'us-east-1', 's3'), stringToSign(amzDate, scope, canonical))
    const got = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/a%20b/c%2Bd~.txt', headers: { ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=test/${scope}, SignedHeaders=${names.join(';')}, Signature=${sig}` } })
    assert.deepEqual([got.status, got.body], [200, 'hello'])
  })

  it('signed more than 15 minutes off the clock: S3 RequestTimeTooSkewed, SQS "Signature expired"', async () => {
    const skewed = client('test', { systemClockOffset: -16 * 60_000, maxAttempts: 1 })
    const s3 = await sdkError(skewed.send(new GetObjectCommand({ Bucket, Key: 'a b/c+d~.txt' })))
    assert.deepEqual([s3.name, s3.status, s3.message], ['RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.'])
    await advance(nimbus.current, 16 * 60_000)
    const sqs = await sqsClient(nimbus.current, 'json').fail('ListQueues', {})
    assert.equal(sqs.code, 'SignatureDoesNotMatch')
    assert.match(sqs.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/)
  })

  it('a presigned URL past its expiry on the manual clock is AccessDenied "Request has expired"', async () => {
    const signingDate = new Date(nimbus.current.clock.now())
    const url = await getSignedUrl(client(), new GetObjectCommand({ Bucket, Key: 'a b/c+d~.txt' }), { expiresIn: 60, signingDate })
    assert.equal((await fetch(url)).status, 200)
    await advance(nimbus.current, 61_000)
    const expired = await fetch(url)
    assert.equal(expired.status, 403)
    assert.match(await expired.text(), /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/)
  })

  it("another service's presigned URL (STS GetCallerIdentity) expires on the clock too", async () => {
    const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 })
    const { hostname, port } = new URL(nimbus.current.endpoint)
    const presigned = await signer.presign({ method: 'GET', protocol: 'http:', hostname, port: Number(port), path: '/', headers: { host: `${hostname}:${port}` },
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } }, { expiresIn: 60, signingDate: new Date(nimbus.current.clock.now()) })
    const url = `${nimbus.current.endpoint}/?${new URLSearchParams(presigned.query as Record<string, string>).toString().replaceAll('+', '%20')}`
    assert.equal((await fetch(url)).status, 200)
    await advance(nimbus.current, 61_000)
    const expired = await fetch(url)
    assert.equal(expired.status, 403)
    assert.match(await expired.text(), /<Code>SignatureDoesNotMatch<\/Code><Message>Signature expired: /)
  })
})
