// The gateway's own answers in the client's protocol (413, unknown service, CONNECT), Lambda's
// whole API owned by Lambda, a zip with symlinks, and S3's 5 GiB single-PUT limit before any body.
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { describe, it } from 'node:test'
import { CreateFunctionCommand } from '@aws-sdk/client-lambda'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { lambdaClient, role } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { makeZip } from '../../helpers/zip.ts'

const logged: string[] = []
const nimbus = useNimbus({ log: (line) => logged.push(line) })
const signed = (service: string): Record<string, string> => ({
  authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
})
const big = Buffer.alloc(17 * 1024 * 1024, 0x61)

/** Writes raw bytes and returns what comes back until the server closes (or `ms` pass). */
function raw(text: string, ms = 2_000): Promise<string> {
  const { port } = new URL(nimbus.current.endpoint)
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text))
    let data = ''
    const timer = setTimeout(() => socket.destroy(), ms)
    socket.on('data', (chunk) => { data += chunk.toString() })
    socket.on('close', () => { clearTimeout(timer); resolve(data) })
    socket.on('error', () => {})
  })
}

describe('gateway errors in the client\'s protocol', () => {
  it('413: query XML for a query client, awsJson for a JSON client, S3 XML for S3', async () => {
    const query = await rawRequest(nimbus.current.endpoint, { headers: { ...signed('sqs'), 'content-type': 'application/x-www-form-urlencoded' }, body: big })
    assert.equal(query.status, 413)
    assert.match(query.body, /^<\?xml.*<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>RequestEntityTooLarge<\/Code>/)
    const json = await rawRequest(nimbus.current.endpoint, {
      headers: { ...signed('events'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' }, body: big })
    assert.equal(json.status, 413)
    assert.equal(JSON.parse(json.body).__type, 'com.amazonaws.eventbridge#RequestEntityTooLarge')
    const s3 = await rawRequest(nimbus.current.endpoint, { method: 'PUT', path: '/some-bucket?tagging', headers: signed('s3'), body: big })
    assert.equal(s3.status, 413)
    assert.match(s3.body, /^<\?xml.*<Error><Code>RequestEntityTooLarge<\/Code>/)
  })

  it('unknown service: answered in the style the request speaks', async () => {
    const query = await rawRequest(nimbus.current.endpoint, { path: '/?Action=Fly&Version=1999-01-01', headers: {} })
    assert.match(query.body, /<ErrorResponse><Error><Type>Sender<\/Type><Code>UnknownService<\/Code>/)
    const json = await rawRequest(nimbus.current.endpoint, { headers: { 'x-amz-target': 'Nobody.Fly', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' })
    assert.equal(json.headers['content-type'], 'application/x-amz-json-1.1')
    assert.equal(JSON.parse(json.body).__type, 'UnknownService')
    for (const response of [query, json]) assert.equal(response.status, 400)
  })

  it('CONNECT gets 405 instead of a dropped socket', async () => {
    const answer = await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')
    assert.match(answer, /^HTTP\/1\.1 405 Method Not Allowed\r\n/)
    assert.match(answer, /<Code>MethodNotAllowed<\/Code>/)
  })

  it('an Expect Nimbus does not know is ignored, not a bare 417', async () => {
    const response = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/', headers: { ...signed('s3'), expect: 'nothing' } })
    assert.equal(response.status, 200)
  })
})

describe('Lambda', () => {
  it('owns every API version\'s paths: a function URL answers Lambda\'s NotImplemented, not S3\'s NoSuchBucket', async () => {
    // Routed by its path alone (the signature's scope names no service here), as an unsigned or hand-made call is.
    const unscoped = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/nothing/aws4_request, SignedHeaders=host, Signature=0'
    const response = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/2021-10-31/functions/f/url',
      headers: { authorization: unscoped } })
    assert.equal(response.status, 501)
    assert.equal(response.headers['x-amzn-errortype'], 'NotImplemented')
    assert.match(response.body, /GetFunctionUrlConfig/)
    // Unsigned, Lambda refuses it in its own protocol (S3 would have answered in XML).
    const unsigned = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/2021-10-31/functions/f/url', headers: {} })
    assert.equal(unsigned.status, 403)
    assert.equal(unsigned.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException')
  })

  it('a zip with a symlink lnk and a file lnk/x is InvalidParameterValueException', async () => {
    const zip = makeZip([{ path: 'index.js', content: 'exports.handler = async () => 1' }, { path: 'lnk', content: '/tmp', symlink: true },
      { path: 'lnk/x', content: 'x' }])
    const error = await sdkError(lambdaClient(nimbus.current).send(new CreateFunctionCommand({ FunctionName: uniqueName('zip'),
      Runtime: 'nodejs22.x', Handler: 'index.handler', Role: role, Code: { ZipFile: zip } })))
    assert.equal(error.name, 'InvalidParameterValueException')
    assert.equal(error.status, 400)
    assert.equal(error.message, 'Could not unzip uploaded file. Please check your file, then try to upload again.')
  })
})

describe('S3 single PUT limit', () => {
  it('refuses a PutObject or UploadPart declaring over 5 GiB at once, unread, and closes the connection', async () => {
    const bucket = bucketName()
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket: bucket }))
    const head = (path: string, headers: string) =>
      `PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${signed('s3').authorization}\r\n${headers}\r\n`
    const put = await raw(head(`/${bucket}/big`, `Content-Length: ${6 * 1024 ** 3}\r\n`))
    const part = await raw(head(`/${bucket}/big?partNumber=1&uploadId=x`, 'Content-Encoding: aws-chunked\r\n' +
      `x-amz-decoded-content-length: ${6 * 1024 ** 3}\r\nContent-Length: ${7 * 1024 ** 3}\r\n`))
    for (const answer of [put, part]) {
      assert.match(answer, /^HTTP\/1\.1 400 /)
      assert.match(answer, /\r\nconnection: close\r\n/i)
      assert.match(answer, /<Code>EntityTooLarge<\/Code><Message>Your proposed upload exceeds the maximum allowed size<\/Message>/)
      assert.match(answer, /<ProposedSize>6442450944<\/ProposedSize><MaxSizeAllowed>5368709120<\/MaxSizeAllowed>/)
    }
  })

  it('an upload the client abandons midway is not logged as an internal error', async () => {
    const bucket = bucketName()
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket: bucket }))
    await raw(`PUT /${bucket}/cut HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${signed('s3').authorization}\r\n` +
      `Content-Length: ${10 * 1024 * 1024}\r\n\r\n${'a'.repeat(64 * 1024)}`, 200)
    // The server sees the socket close; let its handlers run before looking at the log.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(logged.filter((line) => line.includes('internal error')), [])
  })
})
