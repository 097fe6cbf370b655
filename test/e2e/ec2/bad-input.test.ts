// Requests no SDK would send, raw over HTTP: each answers EC2's Response/Errors XML envelope with
// AWS's code and a 4xx, never a crash, and Nimbus keeps serving.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()

async function call(body: string) {
  const response = await rawRequest(nimbus.current.endpoint, {
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...signedBy('ec2') }, body,
  })
  const code = /<Code>([^<]*)<\/Code>/.exec(response.body)?.[1]
  const message = /<Message>([^<]*)<\/Message>/.exec(response.body)?.[1]
  return { ...response, code, message }
}

describe('EC2 bad input', () => {
  it('answers each malformed request with AWS\'s error in EC2\'s envelope', async () => {
    const cases: [string, number, string, string | RegExp][] = [
      ['Version=2016-11-15', 400, 'MissingAction', 'The request must contain the parameter Action.'],
      ['Action=LaunchRockets&Version=2016-11-15', 400, 'InvalidAction', 'The action LaunchRockets is not valid for this web service.'],
      ['Action=RunInstances&Version=2016-11-15&ImageId=ami-0123456789abcdef0', 400, 'MissingParameter', /^The request must contain the parameter (MinCount|MaxCount)$/],
      ['Action=RunInstances&Version=2016-11-15&MinCount=1&MaxCount=1', 400, 'MissingParameter', 'The request must contain the parameter ImageId'],
      ['Action=DescribeInstances&Version=2016-11-15&MaxResults=many', 400, 'InvalidParameterValue', /MaxResults/],
      ['Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=colour&Filter.1.Value.1=red', 400, 'InvalidParameterValue', "The filter 'colour' is invalid"],
      ['Action=DescribeInstances&Version=2016-11-15&NextToken=%25%25%25', 400, 'InvalidNextToken', "The token '%%%' is invalid."],
      ['Action=CreateVpc&Version=2016-11-15&CidrBlock=banana', 400, 'InvalidParameterValue', 'Value (banana) for parameter cidrBlock is invalid. This is not a valid CIDR block.'],
      ['Action=DescribeVpcPeeringConnections&Version=2016-11-15', 501, 'NotImplemented', /DescribeVpcPeeringConnections/],
      ['Action=RunInstances&Version=2016-11-15&ImageId=ami-0123456789abcdef0&MinCount=3&MaxCount=1', 400, 'InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist"],
      ['%%%&&&=', 400, 'MissingAction', 'The request must contain the parameter Action.'],
      ['Action=DescribeSpotInstanceRequests&Version=2016-11-15&SpotInstanceRequestId.1=bogus', 400, 'InvalidSpotInstanceRequestID.Malformed', 'Invalid id: "bogus" (expecting "sir-...")'],
      ['Action=DescribeLaunchTemplateVersions&Version=2016-11-15&LaunchTemplateId=lt-0123456789abcdef0', 400, 'InvalidLaunchTemplateId.NotFound',
        'The specified launch template, with template ID lt-0123456789abcdef0, does not exist.'],
      ['Action=DescribeLaunchTemplateVersions&Version=2016-11-15&LaunchTemplateId=lt-0123456789abcdef0&LaunchTemplateName=x', 400, 'InvalidParameterCombination', /not both/],
      ['Action=RunInstances&Version=2016-11-15&MinCount=1&MaxCount=1&LaunchTemplate.LaunchTemplateName=none', 400, 'InvalidLaunchTemplateName.NotFoundException',
        'The specified launch template, with template name none, does not exist.'],
      ['Action=RequestSpotInstances&Version=2016-11-15&InstanceCount=1', 400, 'MissingParameter', 'The request must contain the parameter LaunchSpecification.ImageId'],
      ['Action=RequestSpotFleet&Version=2016-11-15&SpotFleetRequestConfig.IamFleetRole=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Ff&SpotFleetRequestConfig.TargetCapacity=1',
        400, 'InvalidParameterValue', 'Exactly one of LaunchSpecifications and LaunchTemplateConfigs must be specified.'],
    ]
    for (const [body, status, code, message] of cases) {
      const response = await call(body)
      assert.equal(response.status, status, body)
      assert.equal(response.code, code, body)
      if (typeof message === 'string') assert.equal(response.message?.replaceAll('&apos;', "'").replaceAll('&quot;', '"'), message, body)
      else assert.match(response.message ?? '', message, body)
      assert.match(response.body, /^<\?xml[^>]*><Response><Errors><Error>.*<\/Errors><RequestID>[^<]+<\/RequestID><\/Response>$/, body)
    }
    const ok = await call('Action=DescribeRegions&Version=2016-11-15')
    assert.equal(ok.status, 200)
    assert.match(ok.body, /<DescribeRegionsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>/)
  })
})
