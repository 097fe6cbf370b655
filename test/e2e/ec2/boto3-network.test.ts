// boto3 against EC2's networking: a public subnet wired up as a boto3 script would (VPC, internet
// gateway, route table and default route, association, NAT gateway on an Elastic IP), and an error code.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const run = promisify(execFile)

const script = `
import boto3, botocore, json, sys
c = boto3.client('ec2', endpoint_url=sys.argv[1], region_name='eu-west-1', aws_access_key_id='t', aws_secret_access_key='t')
vpc = c.create_vpc(CidrBlock='10.9.0.0/16')['Vpc']['VpcId']
subnet = c.create_subnet(VpcId=vpc, CidrBlock='10.9.0.0/24')['Subnet']['SubnetId']
igw = c.create_internet_gateway()['InternetGateway']['InternetGatewayId']
c.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rtb = c.create_route_table(VpcId=vpc)['RouteTable']['RouteTableId']
c.create_route(RouteTableId=rtb, DestinationCidrBlock='0.0.0.0/0', GatewayId=igw)
c.associate_route_table(RouteTableId=rtb, SubnetId=subnet)
eip = c.allocate_address(Domain='vpc')['AllocationId']
nat = c.create_nat_gateway(SubnetId=subnet, AllocationId=eip)['NatGateway']
routes = c.describe_route_tables(Filters=[{'Name': 'association.subnet-id', 'Values': [subnet]}])['RouteTables'][0]['Routes']
acl = c.describe_network_acls(Filters=[{'Name': 'vpc-id', 'Values': [vpc]}, {'Name': 'default', 'Values': ['true']}])['NetworkAcls'][0]
try:
    c.create_network_acl_entry(NetworkAclId=acl['NetworkAclId'], RuleNumber=100, Protocol='-1', RuleAction='allow', Egress=False, CidrBlock='0.0.0.0/0')
    code = None
except botocore.exceptions.ClientError as e:
    code = e.response['Error']['Code']
print(json.dumps({'routes': [[r['DestinationCidrBlock'], r['GatewayId'], r['State']] for r in routes], 'nat': nat['State'],
  'natIp': nat['NatGatewayAddresses'][0]['PrivateIp'], 'code': code}))
`

describe('EC2 networking with boto3', () => {
  it('wires a public subnet and reads it back', async () => {
    const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }
    const { stdout } = await run('python3', ['-c', script, nimbus.current.endpoint], { env })
    const out = JSON.parse(stdout) as { routes: string[][]; nat: string; natIp: string; code: string }
    assert.equal(out.routes.length, 2)
    assert.deepEqual(out.routes[0], ['10.9.0.0/16', 'local', 'active'])
    assert.equal(out.routes[1]![0], '0.0.0.0/0')
    assert.match(out.routes[1]![1]!, /^igw-/)
    assert.equal(out.routes[1]![2], 'active')
    assert.equal(out.nat, 'pending')
    assert.equal(out.natIp, '10.9.0.4')
    assert.equal(out.code, 'NetworkAclEntryAlreadyExists')
  })
})
