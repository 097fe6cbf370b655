import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { HttpRequest } from '../protocol/http.ts'
import { awsServiceOfHost, isAwsSigningName, unsupportedService } from './aws-services.ts'

const request = (headers: Record<string, string>): HttpRequest =>
  ({ method: 'POST', rawPath: '/', query: new URLSearchParams(), headers, body: Buffer.alloc(0) })
const scope = (service: string) => ({ accessKeyId: 'test', region: 'us-east-1', service })

describe('the AWS services table', () => {
  it('picks the service a shared signing name belongs to', () => {
    assert.equal(unsupportedService(request({}), scope('rds'))?.name, 'Amazon Relational Database Service')
    assert.equal(unsupportedService(request({}), scope('apigateway'))?.name, 'Amazon API Gateway')
    assert.equal(unsupportedService(request({}), scope('dynamodb'))?.id, 'DynamoDB')
  })

  it('prefers the X-Amz-Target prefix, which tells services sharing a signing name apart', () => {
    const streams = unsupportedService(request({ 'x-amz-target': 'DynamoDBStreams_20120810.ListStreams' }), scope('dynamodb'))
    assert.equal(streams?.id, 'DynamoDB Streams')
    assert.deepEqual([streams?.protocol, streams?.json], ['json', '1.0'])
  })

  it('reads regional and global AWS host names, and nothing else', () => {
    assert.equal(awsServiceOfHost('monitoring.eu-west-1.amazonaws.com')?.id, 'CloudWatch')
    assert.equal(awsServiceOfHost('iam.amazonaws.com:443')?.id, 'IAM')
    assert.equal(awsServiceOfHost('states.localhost:4566'), undefined)
    assert.equal(awsServiceOfHost('nothing.us-east-1.amazonaws.com'), undefined)
    assert.equal(unsupportedService(request({ host: 'kinesis.us-east-1.amazonaws.com' }), undefined)?.id, 'Kinesis')
  })

  it('knows signing names, not made-up ones', () => {
    assert.equal(isAwsSigningName('states'), true)
    assert.equal(isAwsSigningName('sqs'), true)
    assert.equal(isAwsSigningName('nothing'), false)
  })
})
