// DescribeX filter values' `*` and `?` match without a backtracking RegExp: a value with many stars
// against a long tag value answers at once (as a RegExp it took minutes), and matches as before.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateTagsCommand, CreateVpcCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2'
import { healthStatus, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

describe('EC2 filter wildcards', () => {
  it('match many-star values against long tag values without blowing up', { timeout: 60_000 }, async () => {
    const ec2 = new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!
    const key = uniqueName('k')
    await ec2.send(new CreateTagsCommand({ Resources: [vpc], Tags: [{ Key: key, Value: 'a'.repeat(256) }] }))
    const found = async (value: string) =>
      (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: `tag:${key}`, Values: [value] }] }))).Vpcs!.map((v) => v.VpcId)
    assert.deepEqual(await found(`${'*a'.repeat(10)}*b`), [])
    assert.deepEqual(await found(`${'*a'.repeat(10)}*`), [vpc])
    assert.deepEqual(await found(`?${'a'.repeat(254)}?`), [vpc])
    assert.deepEqual(await found('a*?b'), [])
    assert.equal(await healthStatus(nimbus.current), 200)
  })

  it('take a backslash before *, ? and \\ as escaping it (the EC2 API reference\'s \\*amazon\\?\\\\ is the literal *amazon?\\)', async () => {
    const ec2 = new EC2Client({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!
    const key = uniqueName('k')
    await ec2.send(new CreateTagsCommand({ Resources: [vpc], Tags: [{ Key: key, Value: '*amazon?\\' }] }))
    const found = async (value: string) =>
      (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: `tag:${key}`, Values: [value] }] }))).Vpcs!.map((v) => v.VpcId)
    assert.deepEqual(await found('\\*amazon\\?\\\\'), [vpc])
    assert.deepEqual(await found('\\*amazon\\?'), [], 'the whole value must match')
    assert.deepEqual(await found('\\*am*'), [vpc])
    assert.deepEqual(await found('\\**\\\\'), [vpc])
  })
})
