// PostObject: the browser form upload S3 takes on `POST /<bucket>` (multipart/form-data, the file
// last). No SDK sends it, so its operation is declared here beside the model (postObjectModel).
// The body is buffered by the gateway (16 MiB cap) and parsed whole: see the README's Gaps.
import { Readable } from 'node:stream'
import type { AccessKeyLookup } from '../../../core/access-keys.ts'
import { type HttpRequest, responseStatus } from '../../../protocol/http.ts'
import type { ServiceModelJson } from '../../../protocol/model.ts'
import type { Caller, Operation } from '../../service.ts'
import { ingest } from '../body/ingest.ts'
import { encryptionFor } from '../encryption.ts'
import { lockForWrite } from '../object-lock.ts'
import { s3Errors } from '../errors.ts'
import { writtenVersionId } from '../object-lookup.ts'
import { expirationHeader } from '../lifecycle-rules.ts'
import { checkHeaderValue, checkKey, contentHeaders, metadataOf, storageClassOf, tagsFromSet } from '../object-input.ts'
import { limits } from '../limits.ts'
import { parseXml } from '../../../protocol/xml-parser.ts'
import { checkPolicy, readPostForm } from '../post-policy.ts'
import { grantsForWrite, objectOwner } from '../acl-rules.ts'
import { isAllowed } from '../access/authorize.ts'
import { operationActions } from '../access/actions.ts'
import { anonymousRequester, conditionContext, requesterOf } from '../access/context.ts'
import { XmlWriter } from '../../../protocol/xml.ts'
import type { S3State } from '../store.ts'
import { source } from './objects.ts'

interface PostObjectInput {
  Bucket: string
  ContentType?: string
  Body?: Buffer
  /** The HTTP request, attached by prepareInput: the policy's condition keys read its headers and address. */
  [postRequest]?: HttpRequest
}

export const postRequest: unique symbol = Symbol('s3.postRequest')

/** The key that signed the form's policy (SigV4 `x-amz-credential`, SigV2 `AWSAccessKeyId`), acting in its account. */
function formCaller(fields: ReadonlyMap<string, string>, caller: Caller): Caller {
  const accessKeyId = fields.get('x-amz-credential')?.split('/')[0] ?? fields.get('awsaccesskeyid') ?? ''
  return { ...caller, accessKeyId, account: /^\d{12}$/.test(accessKeyId) ? accessKeyId : caller.account }
}

interface PostObjectOutput {
  Location?: string
  ETag?: string
  VersionId?: string
  Expiration?: string
  ContentType?: string
  Body?: string
  [responseStatus]?: number
}

/** The operation and shapes PostObject adds to S3's model (botocore has none: browsers, not SDKs, send it). */
export function withPostObject(model: ServiceModelJson): ServiceModelJson {
  return {
    ...model,
    operations: { ...model.operations, PostObject: { name: 'PostObject', http: { method: 'POST', requestUri: '/{Bucket}' },
      input: 'PostObjectRequest', output: 'PostObjectOutput' } },
    shapes: {
      ...model.shapes,
      PostObjectRequest: { type: 'structure', required: ['Bucket'], payload: 'Body', members: {
        Bucket: { shape: 'BucketName', location: 'uri', locationName: 'Bucket' },
        ContentType: { shape: 'ContentType', location: 'header', locationName: 'Content-Type' },
        Body: { shape: 'Body' } } },
      PostObjectOutput: { type: 'structure', payload: 'Body', members: {
        Location: { shape: 'Location', location: 'header', locationName: 'Location' },
        ETag: { shape: 'ETag', location: 'header', locationName: 'ETag' },
        VersionId: { shape: 'ObjectVersionId', location: 'header', locationName: 'x-amz-version-id' },
        Expiration: { shape: 'Expiration', location: 'header', locationName: 'x-amz-expiration' },
        ContentType: { shape: 'ContentType', location: 'header', locationName: 'Content-Type' },
        Body: { shape: 'Body' } } },
    },
  }
}

export function postObject(state: S3State, keys: AccessKeyLookup | undefined): Operation<PostObjectInput, PostObjectOutput> {
  return async (input, ctx) => {
    const bucket = state.requireBucket(input.Bucket)
    const type = input.ContentType ?? ''
    if (!/^multipart\/form-data/i.test(type)) throw s3Errors.malformedPostRequest()
    const form = await readPostForm(input.Body ?? Buffer.alloc(0), type)
    const f = form.fields
    const template = f.get('key')
    if (template === undefined) {
      throw s3Errors.invalidArgument('Bucket POST must contain a field named \'key\'.  If it is specified, please check the order of the fields.',
        'key', '')
    }
    // `${filename}` in the key becomes the uploaded file's name [D].
    const key = template.replaceAll('${filename}', form.file.name)
    checkKey(key)
    const policy = f.get('policy')
    // A form without a policy is an anonymous upload; one with a policy acts as the key that signed it
    // (its x-amz-credential / AWSAccessKeyId field). Either needs s3:PutObject as any request does.
    const requester = policy === undefined ? anonymousRequester : requesterOf(formCaller(f, ctx.caller), keys)
    const context = conditionContext({ operation: 'PostObject', request: input[postRequest] ?? { method: 'POST', rawPath: '/', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) }, input: {}, bucketOwner: bucket.owner, version: bucket.current(key), now: ctx.clock.now() })
    if (!isAllowed({ requester, action: 's3:PutObject', bucket, key, version: undefined, spec: operationActions.PostObject, context })) {
      throw s3Errors.accessDenied('Access Denied')
    }
    if (policy !== undefined) checkPolicy(policy, form, bucket.name, key, ctx.clock.now())
    // The `acl` field is a canned ACL, under the same rules as PutObject's x-amz-acl.
    const ownedBy = objectOwner(bucket, requester.anonymous ? bucket.owner : requester.account, f.get('acl'))
    const acl = f.get('acl') === undefined ? undefined : grantsForWrite(bucket, { ACL: f.get('acl') }, ownedBy)
    // Form fields become response headers of every later read: each must be a valid header value.
    for (const name of ['content-type', 'cache-control', 'content-disposition', 'content-encoding', 'expires']) {
      const value = f.get(name)
      if (value !== undefined) checkHeaderValue(name, value)
    }
    const metadata = metadataOf(Object.fromEntries([...f].filter(([k]) => k.startsWith('x-amz-meta-')).map(([k, v]) => [k.slice(11), v])))
    const headers = contentHeaders({ ContentType: f.get('content-type') ?? 'binary/octet-stream', CacheControl: f.get('cache-control'),
      ContentDisposition: f.get('content-disposition'), ContentEncoding: f.get('content-encoding'), Expires: f.get('expires') })
    const encryption = encryptionFor({ ServerSideEncryption: f.get('x-amz-server-side-encryption'),
      SSEKMSKeyId: f.get('x-amz-server-side-encryption-aws-kms-key-id'),
      BucketKeyEnabled: f.get('x-amz-server-side-encryption-bucket-key-enabled')?.toLowerCase() === 'true' ? true : undefined,
      SSECustomerAlgorithm: f.get('x-amz-server-side-encryption-customer-algorithm'), SSECustomerKey: f.get('x-amz-server-side-encryption-customer-key'),
      SSECustomerKeyMD5: f.get('x-amz-server-side-encryption-customer-key-md5') }, bucket, ctx.caller.account)
    const storageClass = storageClassOf(f.get('x-amz-storage-class'))
    const tags = postTags(f.get('tagging'))
    // Lock fields as PutObject's headers; else the bucket's default retention.
    const until = f.get('x-amz-object-lock-retain-until-date')
    const lock = lockForWrite(bucket, { ObjectLockMode: f.get('x-amz-object-lock-mode'),
      ObjectLockRetainUntilDate: until === undefined ? undefined : new Date(until),
      ObjectLockLegalHoldStatus: f.get('x-amz-object-lock-legal-hold') }, ctx.clock.now())
    const body = await ingest(state.blobs, {
      body: Readable.from([form.file.bytes]), transfer: { awsChunked: false, decodedLength: undefined, trailer: undefined },
      contentMd5: undefined, checksums: {}, algorithm: undefined,
    })
    if (state.bucket(input.Bucket) !== bucket) {
      body.blob.release()
      throw s3Errors.noSuchBucket(input.Bucket)
    }
    const { stored, replaced } = bucket.put(key, {
      blob: body.blob, size: body.size, etag: `"${body.md5.toString('hex')}"`, headers: { ...headers, ...encryption }, metadata, tags, storageClass,
      checksum: body.checksum === undefined ? undefined : { ...body.checksum, type: 'FULL_OBJECT' }, parts: undefined,
      ...(lock !== undefined && { lock }),
    }, state.writeContext(ownedBy))
    state.release(replaced)
    if (acl !== undefined && acl.length > 0) stored.acl = acl
    state.emit('ObjectCreated:Post', bucket, stored, source(ctx))
    const location = `http://${ctx.host}/${encodeURIComponent(bucket.name)}/${key.split('/').map(encodeURIComponent).join('/')}`
    const out: PostObjectOutput = { Location: location, ETag: stored.etag, Expiration: expirationHeader(bucket, stored),
      VersionId: writtenVersionId(stored) }
    return respond(out, f, bucket.name, key)
  }
}

/** success_action_redirect → 303 to it with bucket, key and etag; else success_action_status 200, 201 (a PostResponse) or 204 [D]. */
function respond(out: PostObjectOutput, f: Map<string, string>, bucket: string, key: string): PostObjectOutput {
  const redirect = f.get('success_action_redirect') ?? f.get('redirect')
  if (redirect !== undefined && URL.canParse(redirect)) {
    const url = new URL(redirect)
    url.searchParams.set('bucket', bucket)
    url.searchParams.set('key', key)
    url.searchParams.set('etag', out.ETag!)
    return { ...out, Location: url.toString(), [responseStatus]: 303 }
  }
  const status = f.get('success_action_status')
  if (status === '201') {
    const xml = new XmlWriter().open('PostResponse').leaf('Location', out.Location!).leaf('Bucket', bucket).leaf('Key', key)
      .leaf('ETag', out.ETag!).close('PostResponse').toString()
    return { ...out, ContentType: 'application/xml', Body: xml, [responseStatus]: 201 }
  }
  return { ...out, [responseStatus]: status === '200' ? 200 : 204 }
}

/** The `tagging` field: a `<Tagging><TagSet><Tag>…` document, as PutObjectTagging's body [D]. */
function postTags(document: string | undefined): Record<string, string> {
  if (document === undefined || document.trim() === '') return {}
  let root
  try {
    root = parseXml(document)
  } catch {
    throw s3Errors.malformedXml()
  }
  if (root.name !== 'Tagging') throw s3Errors.malformedXml()
  const set = root.children.find((c) => c.name === 'TagSet')?.children.filter((c) => c.name === 'Tag') ?? []
  return tagsFromSet(set.map((tag) => ({ Key: tag.children.find((c) => c.name === 'Key')?.text,
    Value: tag.children.find((c) => c.name === 'Value')?.text })), limits.maxObjectTags)
}
