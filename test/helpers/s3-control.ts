// An S3 Control client for the end-to-end tests. The SDK prefixes the account id to the endpoint's
// host (`<account>.<host>`): with `http://127.0.0.1:<port>` the URL is invalid, with
// `http://localhost:<port>` Node can't resolve `<account>.localhost`. So the endpoint is `localhost`
// and a finalize-step middleware (after the Host header is set and signed) connects to `localhost`
// while the Host header stays `<account>.localhost:<port>` (README, Client quirks). The same holds for
// S3 requests naming an access point ARN (`<name>-<account>.localhost:<port>`).
import { S3Client } from '@aws-sdk/client-s3'
import { S3ControlClient } from '@aws-sdk/client-s3-control'
import type { Nimbus } from '../../src/index.ts'

export function s3ControlClient(nimbus: Nimbus, accessKeyId = 'test', region = 'us-east-1'): S3ControlClient {
  return connectToLocalhost(new S3ControlClient({
    endpoint: nimbus.endpoint.replace('127.0.0.1', 'localhost'), region, credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1,
  }))
}

/** A virtual-host S3 client (ARN buckets refuse path style) whose requests connect to localhost whatever their Host. */
export function s3ArnClient(nimbus: Nimbus, accessKeyId = 'test', region = 'us-east-1'): S3Client {
  return connectToLocalhost(new S3Client({
    endpoint: nimbus.endpoint.replace('127.0.0.1', 'localhost'), region, credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1,
  }))
}

function connectToLocalhost<C extends S3Client | S3ControlClient>(client: C): C {
  const stack = client.middlewareStack as S3ControlClient['middlewareStack']
  stack.add((next) => (args) => {
    const request = args.request as { hostname?: string }
    if (typeof request.hostname === 'string') request.hostname = 'localhost'
    return next(args)
  }, { step: 'finalizeRequest', name: 'nimbusConnectToLocalhost' })
  return client
}
