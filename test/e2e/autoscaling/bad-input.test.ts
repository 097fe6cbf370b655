// Raw query requests no SDK would send: missing members, malformed bodies, unknown actions and
// operations Nimbus doesn't serve get Auto Scaling's XML errors, never a crash.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const post = (body: string) => rawRequest(nimbus.current.endpoint, {
  headers: { ...signedBy('autoscaling'), 'content-type': 'application/x-www-form-urlencoded' }, body,
})

describe('Auto Scaling bad input', () => {
  it('a missing required member is a ValidationError in the 2011-01-01 envelope', async () => {
    const res = await post('Action=CreateAutoScalingGroup&Version=2011-01-01&MinSize=1&MaxSize=2')
    assert.equal(res.status, 400)
    assert.match(res.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<ErrorResponse xmlns="http:\/\/autoscaling\.amazonaws\.com\/doc\/2011-01-01\/">/)
    assert.match(res.body, /<Type>Sender<\/Type><Code>ValidationError<\/Code><Message>1 validation error detected: Value null at &apos;autoScalingGroupName&apos; failed to satisfy constraint: Member must not be null<\/Message>/)
  })

  it('malformed numbers, unknown actions and unserved operations answer errors; the server keeps serving', async () => {
    const bad = await post('Action=SetDesiredCapacity&Version=2011-01-01&AutoScalingGroupName=x&DesiredCapacity=lots')
    assert.equal(bad.status, 400)
    assert.match(bad.body, /<Code>[A-Za-z]+<\/Code>/)
    const unknown = await post('Action=ScaleEverything&Version=2011-01-01')
    assert.equal(unknown.status, 400)
    assert.match(unknown.body, /<Code>InvalidAction<\/Code>/)
    const garbage = await post('%%%&&&=\u0000')
    assert.ok(garbage.status >= 400 && garbage.status < 500)
    const unserved = await post('Action=DescribeTrafficSources&Version=2011-01-01&AutoScalingGroupName=x')
    assert.equal(unserved.status, 501)
    assert.match(unserved.body, /<Code>NotImplemented<\/Code>/)
    const ok = await post('Action=DescribeAutoScalingGroups&Version=2011-01-01')
    assert.equal(ok.status, 200)
    assert.match(ok.body, /<DescribeAutoScalingGroupsResponse xmlns="http:\/\/autoscaling\.amazonaws\.com\/doc\/2011-01-01\/"><DescribeAutoScalingGroupsResult><AutoScalingGroups><\/AutoScalingGroups><\/DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>/)
  })
})
