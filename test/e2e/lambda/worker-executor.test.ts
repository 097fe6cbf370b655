// Lambda's core contract end to end again, with Node.js functions in worker threads
// (NIMBUS_LAMBDA_EXECUTOR=worker, as `--lambda-executor worker` sets it): Invoke, function logs and
// API Gateway's Lambda proxy must answer the same from both executors. The whole Lambda, API Gateway
// and event-source suites pass this way too: `NIMBUS_LAMBDA_EXECUTOR=worker npm run test:e2e`.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { resolveConfig } from '../../../src/config.ts'

process.env.NIMBUS_LAMBDA_EXECUTOR = 'worker'
await import('./invoke.test.ts')
await import('./logs.test.ts')
await import('../apigateway/lambda-proxy.test.ts')

it('runs those suites with the worker executor', () => {
  assert.equal(resolveConfig().lambdaExecutor, 'worker')
})
