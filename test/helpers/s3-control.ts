// An S3 Control client for the end-to-end tests. The SDK prefixes the account id to the endpoint's
// host (`<account>.<host>`): with `http://127.0.0.1:<port>` the URL is invalid, with
// `http://localhost:<port>` Node can't resolve `<account>.localhost`. So the endpoint is `localhost`
// and a build-step middleware takes the account label off the hostname the request connects to —
// the `x-amz-account-id` header still names the account (README, Client quirks).
import { S3ControlClient } from '@aws-sdk/client-s3-control'
import type { Nimbus } from '../../src/index.ts'

export function s3ControlClient(nimbus: Nimbus, accessKeyId = 'test', region = 'us-east-1'): S3ControlClient {
  const client = new S3ControlClient({
    endpoint: nimbus.endpoint.replace('127.0.0.1', 'localhost'), region, credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1,
  })
  client.middlewareStack.add((next) => (args) => {
    const request = args.request as { hostname?: string }
    if (typeof request.hostname === 'string') request.hostname = request.hostname.replace(/^\d{12}\./, '')
    return next(args)
  }, { step: 'build', name: 'nimbusAccountHost' })
  return client
}
