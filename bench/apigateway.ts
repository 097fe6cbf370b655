// API Gateway: requests/s through a MOCK integration (host-form invoke URL) vs the bare node:http
// ceiling, same client, same connections. Standalone for now: `node bench/apigateway.ts [--seconds N]`
// starts both as children (Nimbus from TS source), prints the numbers and the ratio (issue 15's
// target: MOCK ≥ 0.4 of the ceiling). `apiGatewayMockBench` is what run.ts can call with its own targets.
import { parseArgs } from 'node:util'
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway'
import autocannon from 'autocannon'
import { fmt } from './report.ts'
import { helloSpec, installCleanup, nimbusSourceSpec, startTarget, stopAll } from './servers.ts'
import { HOST } from './sqs.ts'

export interface MockBenchResult {
  mockPerSecond: number
  ceilingPerSecond: number
  mockP50Ms: number
  ceilingP50Ms: number
  non2xx: number
}

/** A deployed REST API whose GET /ping is a MOCK answering `{"pong":true}`; returns its id. */
export async function mockApi(port: number): Promise<string> {
  const client = new APIGatewayClient({ endpoint: `http://${HOST}:${port}`, region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
  const api = await client.send(new CreateRestApiCommand({ name: 'bench' }))
  const restApiId = api.id!
  const resourceId = (await client.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'ping' }))).id!
  const method = { restApiId, resourceId, httpMethod: 'GET' }
  await client.send(new PutMethodCommand({ ...method, authorizationType: 'NONE' }))
  await client.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }))
  await client.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }))
  await client.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': '{"pong":true}' } }))
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: 'bench' }))
  client.destroy()
  return restApiId
}

async function measure(url: string, host: string | undefined, seconds: number, connections: number) {
  const options = { url, method: 'GET' as const, connections, pipelining: 1, timeout: 10, ...(host !== undefined && { headers: { host } }) }
  await autocannon({ ...options, duration: 1 })
  const result = await autocannon({ ...options, duration: seconds })
  return { perSecond: result['2xx'] / result.duration, p50: result.latency.p50, non2xx: result.non2xx }
}

export async function apiGatewayMockBench(nimbusPort: number, helloPort: number, seconds: number, connections = 32): Promise<MockBenchResult> {
  const apiId = await mockApi(nimbusPort)
  const mock = await measure(`http://${HOST}:${nimbusPort}/bench/ping`, `${apiId}.execute-api.localhost:${nimbusPort}`, seconds, connections)
  const ceiling = await measure(`http://${HOST}:${helloPort}/`, undefined, seconds, connections)
  return { mockPerSecond: mock.perSecond, ceilingPerSecond: ceiling.perSecond, mockP50Ms: mock.p50, ceilingP50Ms: ceiling.p50, non2xx: mock.non2xx }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' } } })
  installCleanup()
  try {
    const hello = await startTarget(helloSpec())
    const nimbus = await startTarget(nimbusSourceSpec())
    const r = await apiGatewayMockBench(nimbus.port, hello.port, Number(values.seconds ?? 5))
    console.log(`API Gateway MOCK: ${fmt(r.mockPerSecond)} req/s (p50 ${r.mockP50Ms} ms, non-2xx ${r.non2xx}); ` +
      `node:http ceiling ${fmt(r.ceilingPerSecond)} req/s (p50 ${r.ceilingP50Ms} ms); ratio ${(r.mockPerSecond / r.ceilingPerSecond).toFixed(2)}`)
  } finally {
    await stopAll()
  }
}
