// Requests no SDK would send to IAM and STS: missing members, out-of-range MaxItems, bad markers,
// unsigned calls, operations Nimbus lacks — each a query-XML AWS error, never a crash.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const form = { 'content-type': 'application/x-www-form-urlencoded' }
const call = (service: 'iam' | 'sts', body: string, signed = true) => rawRequest(nimbus.current.endpoint, {
  headers: { ...form, ...(signed ? signedBy(service) : {}) },
  body: `${body}&Version=${service === 'iam' ? '2010-05-08' : '2011-06-15'}`,
})
const code = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1]
const message = (body: string) => /<Message>([^<]*)<\/Message>/.exec(body)?.[1]?.replaceAll('&apos;', '\'')

describe('IAM and STS bad input', () => {
  it('a missing required member is a ValidationError naming it', async () => {
    const res = await call('iam', 'Action=CreateUser')
    assert.equal(res.status, 400)
    assert.equal(code(res.body), 'ValidationError')
    assert.equal(message(res.body), '1 validation error detected: Value null at \'userName\' failed to satisfy constraint: Member must not be null')
  })

  it('MaxItems out of range and a marker Nimbus never issued', async () => {
    const zero = await call('iam', 'Action=ListRoles&MaxItems=0')
    assert.equal(message(zero.body), '1 validation error detected: Value \'0\' at \'maxItems\' failed to satisfy constraint: Member must have value greater than or equal to 1')
    const marker = await call('iam', 'Action=ListRoles&Marker=bm90LWEtbnVtYmVy')
    assert.deepEqual([marker.status, code(marker.body)], [400, 'InvalidInput'])
  })

  it('a policy document that is not JSON, and a path without slashes', async () => {
    const policy = await call('iam', `Action=CreatePolicy&PolicyName=p&PolicyDocument=${encodeURIComponent('{"Version":')}`)
    assert.deepEqual([policy.status, code(policy.body), message(policy.body)], [400, 'MalformedPolicyDocument', 'This policy contains invalid Json'])
    const path = await call('iam', 'Action=CreateUser&UserName=u&Path=nope')
    assert.equal(code(path.body), 'ValidationError')
    assert.match(message(path.body)!, /at 'path' failed to satisfy constraint/)
  })

  it('unsigned IAM and STS calls are refused, except AssumeRoleWithWebIdentity', async () => {
    const iam = await call('iam', 'Action=ListUsers', false)
    assert.deepEqual([iam.status, code(iam.body)], [403, 'MissingAuthenticationToken'])
    const sts = await call('sts', 'Action=GetCallerIdentity', false)
    assert.deepEqual([sts.status, code(sts.body)], [403, 'MissingAuthenticationToken'])
    const web = await call('sts', 'Action=AssumeRoleWithWebIdentity&RoleArn=arn:aws:iam::000000000000:role/none&RoleSessionName=ab&WebIdentityToken=x', false)
    assert.deepEqual([web.status, code(web.body)], [400, 'InvalidIdentityToken'])
  })

  it('operations Nimbus does not serve answer NotImplemented, and the server keeps serving', async () => {
    const res = await call('iam', 'Action=CreateLoginProfile&UserName=a')
    assert.deepEqual([res.status, code(res.body)], [501, 'NotImplemented'])
    const after = await call('sts', 'Action=GetCallerIdentity')
    assert.equal(after.status, 200)
    assert.match(after.body, /<Arn>arn:aws:iam::000000000000:root<\/Arn>/)
  })
})
