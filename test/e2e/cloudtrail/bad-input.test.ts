// Requests no SDK would send to CloudTrail: malformed JSON, wrong member types, missing members and
// an unknown or unimplemented operation — each answered with AWS's JSON error, never a crash.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const target = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101'

async function call(operation: string, body: string) {
  const response = await rawRequest(nimbus.current.endpoint, {
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${target}.${operation}`, ...signedBy('cloudtrail') }, body,
  })
  return { status: response.status, error: JSON.parse(response.body) as { __type?: string; message?: string; Message?: string } }
}

describe('CloudTrail bad input', () => {
  it('answers malformed bodies and bad members with AWS errors', async () => {
    const malformed = await call('CreateTrail', '{"Name": ')
    assert.equal(malformed.status, 400)
    assert.match(malformed.error.__type ?? '', /SerializationException/)
    const wrongType = await call('GetTrail', '{"Name": 42}')
    assert.equal(wrongType.status, 400)
    assert.match(wrongType.error.__type ?? '', /SerializationException/)
    const missing = await call('CreateTrail', '{"Name": "abc"}')
    assert.equal(missing.status, 400)
    assert.match(missing.error.__type ?? '', /ValidationException/)
    assert.equal(missing.error.message ?? missing.error.Message,
      "1 validation error detected: Value null at 's3BucketName' failed to satisfy constraint: Member must not be null")
    const notFound = await call('StartLogging', '{"Name": "no-such-trail"}')
    assert.equal(notFound.status, 400)
    assert.match(notFound.error.__type ?? '', /TrailNotFoundException/)
  })

  it('answers operations Nimbus lacks in CloudTrail\'s protocol, and keeps serving', async () => {
    const lacking = await call('CreateEventDataStore', '{"Name": "store"}')
    assert.equal(lacking.status, 501)
    assert.match(lacking.error.message ?? lacking.error.Message ?? '', /Nimbus does not serve CreateEventDataStore in cloudtrail yet/)
    const listed = await call('ListTrails', '{}')
    assert.equal(listed.status, 200)
  })
})
