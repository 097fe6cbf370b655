// Browser POST uploads (PostObject): the form's fields and file, and the POST policy checked the
// way S3 checks it — expiration against the clock, every condition (exact match, eq, starts-with,
// content-length-range), every field covered by a condition [D]. Signatures are not verified.
import { s3Errors } from './errors.ts'

export interface PostForm {
  /** Field names lower-cased (S3 reads them case-insensitively [D]); only the fields before the file count. */
  fields: Map<string, string>
  file: { name: string; bytes: Buffer }
}

/** The multipart/form-data body → fields and the file; fields after the file are ignored, as AWS does [D]. */
export async function readPostForm(body: Buffer, contentType: string): Promise<PostForm> {
  let form: FormData
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData()
  } catch {
    throw s3Errors.malformedPostRequest()
  }
  const fields = new Map<string, string>()
  for (const [name, value] of form.entries()) {
    const lower = name.toLowerCase()
    if (lower === 'file') {
      if (typeof value === 'string') return { fields, file: { name: '', bytes: Buffer.from(value) } }
      return { fields, file: { name: value.name, bytes: Buffer.from(await value.arrayBuffer()) } }
    }
    // A field is known by its part's name, a `filename=` or not (Python `requests` sends every
    // `files=` entry with one): only the `file` part is the body.
    if (!fields.has(lower)) fields.set(lower, typeof value === 'string' ? value : await value.text())
  }
  throw s3Errors.invalidArgument('POST requires exactly one file upload per request.', 'file', '0')
}

type Condition = Record<string, unknown> | unknown[]

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/

/** A JSON object: not null, not an array. */
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Fields a policy needn't cover [D]. */
const exempt = (name: string) => ['policy', 'file', 'x-amz-signature', 'signature', 'awsaccesskeyid'].includes(name) ||
  name.startsWith('x-ignore-')

/** The policy document (base64 JSON), checked against the form, the bucket and the clock. */
export function checkPolicy(encoded: string, form: PostForm, bucket: string, key: string, now: number): void {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'))
  } catch {
    throw s3Errors.invalidPolicyDocument('Invalid Policy: Invalid JSON.')
  }
  // The document is a JSON object; `null`, an array or a scalar is no policy [R: AWS's wording for these].
  if (!isObject(parsed)) throw s3Errors.invalidPolicyDocument('Invalid Policy: Invalid JSON.')
  const policy = parsed as { expiration?: unknown; conditions?: unknown }
  // ISO 8601 in UTC, as AWS's policy documents spell it (`2026-01-01T12:00:00.000Z`) [D]; anything else is 400.
  const expiration = typeof policy.expiration === 'string' && isoUtc.test(policy.expiration) ? Date.parse(policy.expiration) : NaN
  if (Number.isNaN(expiration)) throw s3Errors.invalidPolicyDocument('Invalid Policy: Invalid \'expiration\' value: ' +
    `'${String(policy.expiration)}'`)
  if (!Array.isArray(policy.conditions) || policy.conditions.length === 0) {
    throw s3Errors.invalidPolicyDocument('Invalid Policy: Invalid \'conditions\' value.')
  }
  if (expiration < now) throw s3Errors.accessDenied('Invalid according to Policy: Policy expired.')
  const values = new Map(form.fields)
  values.set('bucket', bucket)
  values.set('key', key)
  const covered = new Set<string>()
  for (const condition of policy.conditions as unknown[]) {
    // Each condition is an object ({"bucket": "b"}) or an array (["eq", "$key", "k"]) [R: wording].
    if ((!isObject(condition) && !Array.isArray(condition)) || (isObject(condition) && Object.keys(condition).length !== 1)) {
      throw s3Errors.invalidPolicyDocument(`Invalid Policy: Invalid Condition: ${JSON.stringify(condition)}`)
    }
    checkCondition(condition, values, form.file.bytes.length, covered)
  }
  const extra = [...form.fields.keys()].filter((name) => !exempt(name) && !covered.has(name))
  if (extra.length > 0) throw s3Errors.accessDenied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`)
}

function checkCondition(condition: Condition, values: Map<string, string>, size: number, covered: Set<string>): void {
  const failed = () => s3Errors.accessDenied(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`)
  if (!Array.isArray(condition)) {
    // {"bucket": "b"} / {"acl": "private"}: an exact match.
    for (const [name, expected] of Object.entries(condition)) {
      covered.add(name.toLowerCase())
      if ((values.get(name.toLowerCase()) ?? '') !== String(expected)) throw failed()
    }
    return
  }
  const [rawOp, a, b] = condition
  if (typeof rawOp !== 'string') throw s3Errors.invalidPolicyDocument('Invalid Policy: Invalid Simple-Condition: operation is not a string.')
  // Operators as field names: S3 reads them case-insensitively.
  const op = rawOp.toLowerCase()
  if (op === 'content-length-range') {
    const bounds = condition.slice(1)
    const integer = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^\d+$/.test(v))
    if (bounds.length !== 2 || !bounds.every(integer)) {
      throw s3Errors.invalidPolicyDocument(`Invalid Policy: Invalid 'content-length-range' condition: ${JSON.stringify(condition)}`)
    }
    const [min, max] = [Number(a), Number(b)]
    if (size < min) throw s3Errors.entityTooSmall(size, min)
    if (size > max) throw s3Errors.entityTooLarge(size, max)
    return
  }
  if (condition.length !== 3 || typeof a !== 'string' || !a.startsWith('$') || typeof b !== 'string') {
    throw s3Errors.invalidPolicyDocument(`Invalid Policy: Invalid Condition: ${JSON.stringify(condition)}`)
  }
  const name = a.slice(1).toLowerCase()
  covered.add(name)
  const value = values.get(name) ?? ''
  if (op === 'eq' && value !== b) throw failed()
  if (op === 'starts-with' && !value.startsWith(b)) throw failed()
  if (op !== 'eq' && op !== 'starts-with') throw s3Errors.invalidPolicyDocument(`Invalid Policy: Invalid Condition: ${JSON.stringify(condition)}`)
}
