// Browser POST uploads: a multipart/form-data form with key (`${filename}` included), policy,
// success_action_status / success_action_redirect, Content-Type and x-amz-meta-* fields, the file last.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { describe, it } from 'node:test'
import { GetObjectCommand, HeadObjectCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3'
import { useNimbus } from '../../helpers/nimbus.ts'
import { s3Client, text } from '../../helpers/s3.ts'
import { bucketToQueue, createBucket, records } from './notification-fixtures.ts'

const nimbus = useNimbus()
const s3 = () => s3Client(nimbus.current)

/** A form; without a `policy` field it gets one allowing its fields (an unsigned POST needs a policy, as on AWS). */
function form(fields: Record<string, string>, file: string | Blob, filename = 'photo.jpg'): FormData {
  const data = new FormData()
  if (!('policy' in fields)) data.append('policy', policy(Object.keys(fields).map((k) => ['starts-with', `$${k}`, ''])))
  for (const [k, v] of Object.entries(fields)) data.append(k, v)
  data.append('file', typeof file === 'string' ? new Blob([file], { type: 'image/jpeg' }) : file, filename)
  return data
}

function policy(conditions: unknown[], expiresIn = 60_000): string {
  const expiration = new Date(nimbus.current.clock.now() + expiresIn).toISOString()
  return Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64')
}

async function post(Bucket: string, body: FormData): Promise<Response> {
  return fetch(`${nimbus.current.endpoint}/${Bucket}`, { method: 'POST', body, redirect: 'manual' })
}

async function errorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1]
}

describe('S3 browser POST uploads', () => {
  it('stores the file under the key, ${filename} replaced, with Content-Type and metadata, and announces ObjectCreated:Post', async () => {
    const { Bucket, queue } = await bucketToQueue(nimbus.current, s3(), ['s3:ObjectCreated:*'])
    const response = await post(Bucket, form({ key: 'uploads/${filename}', 'Content-Type': 'image/jpeg', 'x-amz-meta-owner': 'ann',
      policy: policy([{ bucket: Bucket }, ['starts-with', '$key', 'uploads/'], ['eq', '$Content-Type', 'image/jpeg'],
        ['starts-with', '$x-amz-meta-owner', ''], ['content-length-range', 1, 100]]) }, 'jpeg bytes'))
    assert.equal(response.status, 204)
    const etag = `"${createHash('md5').update('jpeg bytes').digest('hex')}"`
    assert.equal(response.headers.get('etag'), etag)
    assert.equal(response.headers.get('location'), `${nimbus.current.endpoint}/${Bucket}/uploads/photo.jpg`)
    const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'uploads/photo.jpg' }))
    assert.equal(await text(got.Body), 'jpeg bytes')
    assert.equal(got.ContentType, 'image/jpeg')
    assert.deepEqual(got.Metadata, { owner: 'ann' })
    const [record, ...rest] = await records(nimbus.current, queue)
    assert.equal(rest.length, 0)
    assert.equal(record.eventName, 'ObjectCreated:Post')
    assert.equal(record.s3.object.key, 'uploads/photo.jpg')
    assert.equal(record.s3.object.size, 10)
  })

  it('answers success_action_status 201 with a PostResponse, 200 empty, and redirects to success_action_redirect', async () => {
    const Bucket = await createBucket(s3())
    await s3().send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }))
    const created = await post(Bucket, form({ key: 'a.txt', success_action_status: '201' }, 'a'))
    assert.equal(created.status, 201)
    assert.ok(created.headers.get('x-amz-version-id'))
    const xml = await created.text()
    assert.match(xml, new RegExp(`<PostResponse><Location>[^<]+/${Bucket}/a.txt</Location><Bucket>${Bucket}</Bucket><Key>a.txt</Key><ETag>&quot;`))
    const ok = await post(Bucket, form({ key: 'b.txt', success_action_status: '200' }, 'b'))
    assert.deepEqual([ok.status, await ok.text()], [200, ''])
    const redirected = await post(Bucket, form({ key: 'c d.txt', success_action_redirect: 'https://app.example.com/done?x=1' }, 'c'))
    assert.equal(redirected.status, 303)
    const to = new URL(redirected.headers.get('location')!)
    assert.equal(to.origin + to.pathname, 'https://app.example.com/done')
    assert.deepEqual([to.searchParams.get('x'), to.searchParams.get('bucket'), to.searchParams.get('key')], ['1', Bucket, 'c d.txt'])
    assert.match(to.searchParams.get('etag') ?? '', /^"[0-9a-f]{32}"$/)
    const head = await s3().send(new HeadObjectCommand({ Bucket, Key: 'c d.txt' }))
    assert.equal(head.ContentType, 'binary/octet-stream')
  })

  it('checks the policy: expiration on the clock, conditions, fields it does not cover, content-length-range', async () => {
    const Bucket = await createBucket(s3())
    const expired = await post(Bucket, form({ key: 'k', policy: policy([{ bucket: Bucket }, ['eq', '$key', 'k']], -1) }, 'x'))
    assert.equal(expired.status, 403)
    assert.match(await expired.text(), /Policy expired/)
    const wrongKey = await post(Bucket, form({ key: 'other', policy: policy([{ bucket: Bucket }, ['eq', '$key', 'k']]) }, 'x'))
    assert.deepEqual([wrongKey.status, await errorCode(wrongKey)], [403, 'AccessDenied'])
    const extra = await post(Bucket, form({ key: 'k', 'x-amz-meta-a': '1', policy: policy([{ bucket: Bucket }, ['eq', '$key', 'k']]) }, 'x'))
    assert.equal(extra.status, 403)
    assert.match(await extra.text(), /Extra input fields: x-amz-meta-a/)
    const tooBig = await post(Bucket, form({ key: 'k', policy: policy([['eq', '$key', 'k'], ['content-length-range', 0, 3]]) }, 'four'))
    assert.deepEqual([tooBig.status, await errorCode(tooBig)], [400, 'EntityTooLarge'])
    const garbage = await post(Bucket, form({ key: 'k', policy: 'not base64 json' }, 'x'))
    assert.deepEqual([garbage.status, await errorCode(garbage)], [400, 'InvalidPolicyDocument'])
    const list = await fetch(`${nimbus.current.endpoint}/${Bucket}?list-type=2`)
    assert.doesNotMatch(await list.text(), /<Key>/, 'nothing was stored')
  })

  it('refuses a policy that is no JSON object, or a condition that is neither object nor array, as InvalidPolicyDocument', async () => {
    const Bucket = await createBucket(s3())
    const expiration = new Date(nimbus.current.clock.now() + 60_000).toISOString()
    const encoded = (document: string) => Buffer.from(document).toString('base64')
    const cases: [string, string][] = [
      ['null', 'Invalid Policy: Invalid JSON.'],
      ['[]', 'Invalid Policy: Invalid JSON.'],
      ['"policy"', 'Invalid Policy: Invalid JSON.'],
      ['42', 'Invalid Policy: Invalid JSON.'],
      [JSON.stringify({ expiration, conditions: [null] }), 'Invalid Policy: Invalid Condition: null'],
      [JSON.stringify({ expiration, conditions: [['eq', '$key', 'k'], 'key'] }), 'Invalid Policy: Invalid Condition: "key"'],
      [JSON.stringify({ expiration, conditions: [7] }), 'Invalid Policy: Invalid Condition: 7'],
    ]
    for (const [document, message] of cases) {
      const response = await post(Bucket, form({ key: 'k', policy: encoded(document) }, 'x'))
      const body = await response.text()
      assert.equal(response.status, 400, `${document}: ${body}`)
      assert.equal(/<Code>([^<]+)<\/Code>/.exec(body)?.[1], 'InvalidPolicyDocument', document)
      assert.equal(/<Message>([^<]+)<\/Message>/.exec(body)?.[1]?.replaceAll('&quot;', '"'), message, document)
    }
    // The server keeps serving: a valid policy still uploads.
    const fine = await post(Bucket, form({ key: 'k', policy: policy([{ bucket: Bucket }, ['eq', '$key', 'k']]) }, 'x'))
    assert.equal(fine.status, 204)
  })

  it('needs a key and a file, and ignores fields after the file', async () => {
    const Bucket = await createBucket(s3())
    const noKey = await post(Bucket, form({}, 'x'))
    assert.deepEqual([noKey.status, await errorCode(noKey)], [400, 'InvalidArgument'])
    const noFile = new FormData()
    noFile.append('policy', policy([]))
    noFile.append('key', 'k')
    const missing = await post(Bucket, noFile)
    assert.deepEqual([missing.status, await errorCode(missing)], [400, 'InvalidArgument'])
    const late = form({ key: 'late' }, 'x')
    late.append('x-amz-meta-late', 'yes')
    assert.equal((await post(Bucket, late)).status, 204)
    assert.deepEqual((await s3().send(new HeadObjectCommand({ Bucket, Key: 'late' }))).Metadata, {})
    const unknown = await post('no-such-bucket-post', form({ key: 'k' }, 'x'))
    assert.deepEqual([unknown.status, await errorCode(unknown)], [404, 'NoSuchBucket'])
  })
  it('reads fields sent with a filename= by their part name, applies tagging, matches conditions case-insensitively', async () => {
    const Bucket = await createBucket(s3())
    const data = new FormData()
    // Every field as a "file" part (what Python requests' files= sends): only the part named `file` is the body.
    const asFile = (name: string, value: string) => data.append(name, new Blob([value]), name)
    asFile('Key', 'tagged')
    asFile('Policy', policy([{ Bucket }, ['EQ', '$KEY', 'tagged'], ['Starts-With', '$Content-Type', 'text/'], ['starts-with', '$tagging', '']]))
    asFile('content-type', 'text/plain')
    asFile('tagging', '<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>')
    data.append('file', new Blob(['the body']), 'f.txt')
    const response = await post(Bucket, data)
    assert.equal(response.status, 204, await response.clone().text())
    const got = await s3().send(new GetObjectCommand({ Bucket, Key: 'tagged' }))
    assert.equal(await text(got.Body), 'the body')
    assert.equal(got.ContentType, 'text/plain')
    assert.equal(got.TagCount, 1)
  })

  it('validates the policy document as AWS does: expiration format, content-length-range arity, empty conditions', async () => {
    const Bucket = await createBucket(s3())
    const later = new Date(nimbus.current.clock.now() + 60_000)
    const encoded = (document: object) => Buffer.from(JSON.stringify(document)).toString('base64')
    const cases: object[] = [
      { expiration: later.toUTCString(), conditions: [['eq', '$key', 'k']] },
      { expiration: later.toISOString(), conditions: [] },
      { expiration: later.toISOString(), conditions: [['eq', '$key', 'k'], ['content-length-range', 10]] },
      { expiration: later.toISOString(), conditions: [['eq', '$key', 'k'], ['content-length-range', 'a', 'b']] },
      { expiration: later.toISOString(), conditions: [{}] },
    ]
    for (const document of cases) {
      const response = await post(Bucket, form({ key: 'k', policy: encoded(document) }, 'x'))
      assert.deepEqual([response.status, await errorCode(response)], [400, 'InvalidPolicyDocument'], JSON.stringify(document))
    }
  })

  it('takes a boto3 presigned POST sent with Python requests, fields as files= entries (each with a filename)', async () => {
    const Bucket = await createBucket(s3())
    const script = `
import os, boto3, requests
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
post = s3.generate_presigned_post(os.environ['BUCKET'], 'from-python.txt')
files = {k: v for k, v in post['fields'].items()}
files['file'] = ('hello.txt', b'hello from requests')
print(requests.post(post['url'], files=files).status_code)
`
    const { stdout } = await promisify(execFile)('python3', ['-c', script], { env: { ...process.env, ENDPOINT: nimbus.current.endpoint, BUCKET: Bucket } })
    assert.equal(stdout.trim(), '204')
    assert.equal(await text((await s3().send(new GetObjectCommand({ Bucket, Key: 'from-python.txt' }))).Body), 'hello from requests')
  })
})
