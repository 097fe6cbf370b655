import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkRegion, resolveConfig } from './config.ts'

describe('resolveConfig', () => {
  it('reads NIMBUS_CORS_ORIGINS and NIMBUS_ALLOWED_HOSTS (comma-separated) unless options name their own', () => {
    const saved = { cors: process.env['NIMBUS_CORS_ORIGINS'], hosts: process.env['NIMBUS_ALLOWED_HOSTS'] }
    try {
      process.env['NIMBUS_CORS_ORIGINS'] = 'https://a.test, https://b.test,'
      process.env['NIMBUS_ALLOWED_HOSTS'] = 'nimbus.internal'
      assert.deepEqual(resolveConfig().corsOrigins, ['https://a.test', 'https://b.test'])
      assert.deepEqual(resolveConfig().allowedHosts, ['nimbus.internal'])
      assert.deepEqual(resolveConfig({ corsOrigins: [], allowedHosts: ['x.test'] }).corsOrigins, [])
      assert.deepEqual(resolveConfig({ allowedHosts: ['x.test'] }).allowedHosts, ['x.test'])
      delete process.env['NIMBUS_CORS_ORIGINS']
      delete process.env['NIMBUS_ALLOWED_HOSTS']
      assert.deepEqual([resolveConfig().corsOrigins, resolveConfig().allowedHosts], [[], []])
    } finally {
      for (const [name, value] of [['NIMBUS_CORS_ORIGINS', saved.cors], ['NIMBUS_ALLOWED_HOSTS', saved.hosts]] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })
})

describe('verifySignatures', () => {
  it('is off by default, on with NIMBUS_VERIFY_SIGNATURES=1 or the option', () => {
    const saved = process.env['NIMBUS_VERIFY_SIGNATURES']
    try {
      delete process.env['NIMBUS_VERIFY_SIGNATURES']
      assert.equal(resolveConfig().verifySignatures, false)
      assert.equal(resolveConfig({ verifySignatures: true }).verifySignatures, true)
      process.env['NIMBUS_VERIFY_SIGNATURES'] = '1'
      assert.equal(resolveConfig().verifySignatures, true)
      assert.equal(resolveConfig({ verifySignatures: false }).verifySignatures, false)
    } finally {
      if (saved === undefined) delete process.env['NIMBUS_VERIFY_SIGNATURES']
      else process.env['NIMBUS_VERIFY_SIGNATURES'] = saved
    }
  })
})

describe('checkRegion', () => {
  it('takes AWS regions of every partition, suggests the one a typo meant, and NIMBUS_EXTRA_REGIONS', () => {
    for (const region of ['us-east-1', 'eu-central-2', 'cn-north-1', 'us-gov-west-1']) assert.equal(checkRegion(region), region)
    assert.throws(() => checkRegion('useast1'), /^Error: --region useast1 is not an AWS region \(did you mean us-east-1\?\)/)
    assert.throws(() => checkRegion('eu-west-9'), /--region eu-west-9 is not an AWS region; a region newer than Nimbus can be allowed with NIMBUS_EXTRA_REGIONS/)
    const saved = process.env['NIMBUS_EXTRA_REGIONS']
    try {
      process.env['NIMBUS_EXTRA_REGIONS'] = 'eu-west-9'
      assert.equal(checkRegion('eu-west-9'), 'eu-west-9')
    } finally {
      if (saved === undefined) delete process.env['NIMBUS_EXTRA_REGIONS']
      else process.env['NIMBUS_EXTRA_REGIONS'] = saved
    }
  })
})

describe('the console trace and --log-requests', () => {
  it('keeps 10,000 entries by default, NIMBUS_TRACE_CAPACITY or the option else; none with trace off (NIMBUS_TRACE=0)', () => {
    const saved = { capacity: process.env['NIMBUS_TRACE_CAPACITY'], trace: process.env['NIMBUS_TRACE'], log: process.env['NIMBUS_LOG_REQUESTS'] }
    try {
      delete process.env['NIMBUS_TRACE_CAPACITY']
      delete process.env['NIMBUS_TRACE']
      delete process.env['NIMBUS_LOG_REQUESTS']
      assert.equal(resolveConfig().traceCapacity, 10_000)
      assert.equal(resolveConfig({ traceCapacity: 50 }).traceCapacity, 50)
      assert.equal(resolveConfig({ trace: false, traceCapacity: 50 }).traceCapacity, 0)
      assert.throws(() => resolveConfig({ traceCapacity: -1 }), /trace capacity must be a whole number/)
      process.env['NIMBUS_TRACE_CAPACITY'] = '123'
      assert.equal(resolveConfig().traceCapacity, 123)
      process.env['NIMBUS_TRACE_CAPACITY'] = 'lots'
      assert.throws(() => resolveConfig(), /not lots/)
      process.env['NIMBUS_TRACE'] = '0'
      assert.equal(resolveConfig().traceCapacity, 0)
      assert.equal(resolveConfig().logRequests, undefined)
      process.env['NIMBUS_LOG_REQUESTS'] = '1'
      assert.equal(typeof resolveConfig().logRequests, 'function')
      const lines: string[] = []
      resolveConfig({ logRequests: (line) => lines.push(line) }).logRequests?.('x')
      assert.deepEqual(lines, ['x'])
    } finally {
      for (const [name, value] of [['NIMBUS_TRACE_CAPACITY', saved.capacity], ['NIMBUS_TRACE', saved.trace], ['NIMBUS_LOG_REQUESTS', saved.log]] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })
})

describe('seed', () => {
  it('is unset by default, NIMBUS_SEED or the option (the option wins)', () => {
    const saved = process.env['NIMBUS_SEED']
    try {
      delete process.env['NIMBUS_SEED']
      assert.equal(resolveConfig().seed, undefined)
      process.env['NIMBUS_SEED'] = 'from-env'
      assert.equal(resolveConfig().seed, 'from-env')
      assert.equal(resolveConfig({ seed: 'given' }).seed, 'given')
    } finally {
      if (saved === undefined) delete process.env['NIMBUS_SEED']
      else process.env['NIMBUS_SEED'] = saved
    }
  })
})

describe('lambdaExecutor', () => {
  it('is process by default, worker with NIMBUS_LAMBDA_EXECUTOR=worker or the option, and nothing else', () => {
    const saved = process.env['NIMBUS_LAMBDA_EXECUTOR']
    try {
      delete process.env['NIMBUS_LAMBDA_EXECUTOR']
      assert.equal(resolveConfig().lambdaExecutor, 'process')
      assert.equal(resolveConfig({ lambdaExecutor: 'worker' }).lambdaExecutor, 'worker')
      process.env['NIMBUS_LAMBDA_EXECUTOR'] = 'worker'
      assert.equal(resolveConfig().lambdaExecutor, 'worker')
      assert.equal(resolveConfig({ lambdaExecutor: 'process' }).lambdaExecutor, 'process')
      process.env['NIMBUS_LAMBDA_EXECUTOR'] = 'thread'
      assert.throws(() => resolveConfig(), /the Lambda executor must be process or worker, not thread/)
    } finally {
      if (saved === undefined) delete process.env['NIMBUS_LAMBDA_EXECUTOR']
      else process.env['NIMBUS_LAMBDA_EXECUTOR'] = saved
    }
  })
})

describe('apiGatewayAccountThrottle', () => {
  it('is unset by default (AWS\'s 10,000/5,000), kept when valid, a start-up error for a rate or burst that would refuse or pass everything', () => {
    assert.equal(resolveConfig().apiGatewayAccountThrottle, undefined)
    assert.deepEqual(resolveConfig({ apiGatewayAccountThrottle: { rateLimit: 0.5, burstLimit: 1 } }).apiGatewayAccountThrottle, { rateLimit: 0.5, burstLimit: 1 })
    const bad: [{ rateLimit: number; burstLimit: number }, RegExp][] = [
      [{ rateLimit: 0, burstLimit: 10 }, /apiGatewayAccountThrottle\.rateLimit must be a number of requests per second above 0, not 0/],
      [{ rateLimit: Number.NaN, burstLimit: 10 }, /rateLimit .*not NaN/],
      [{ rateLimit: -1, burstLimit: 10 }, /rateLimit .*not -1/],
      [{ rateLimit: 10, burstLimit: 0 }, /apiGatewayAccountThrottle\.burstLimit must be a whole number of requests, 1 or more, not 0/],
      [{ rateLimit: 10, burstLimit: 2.5 }, /burstLimit .*not 2\.5/],
      [{ rateLimit: 10, burstLimit: '5' as unknown as number }, /burstLimit .*not 5/],
    ]
    for (const [limits, message] of bad) assert.throws(() => resolveConfig({ apiGatewayAccountThrottle: limits }), message)
  })
})

describe('firehoseDirectPutQuota', () => {
  it('is unset by default (AWS\'s per Region), kept when its three numbers are above 0, a start-up error else', () => {
    assert.equal(resolveConfig().firehoseDirectPutQuota, undefined)
    const quota = { recordsPerSecond: 10, requestsPerSecond: 2, mibPerSecond: 0.5 }
    assert.deepEqual(resolveConfig({ firehoseDirectPutQuota: quota }).firehoseDirectPutQuota, quota)
    assert.throws(() => resolveConfig({ firehoseDirectPutQuota: { ...quota, requestsPerSecond: 0 } }),
      /firehoseDirectPutQuota\.requestsPerSecond must be a number above 0, not 0/)
    assert.throws(() => resolveConfig({ firehoseDirectPutQuota: { ...quota, mibPerSecond: Number.NaN } }), /mibPerSecond must be a number above 0, not NaN/)
  })
})

describe('regexBudgetMs', () => {
  it('is 1 s by default, kept when above 0, a start-up error else', () => {
    assert.equal(resolveConfig().regexBudgetMs, 1000)
    assert.equal(resolveConfig({ regexBudgetMs: 50 }).regexBudgetMs, 50)
    assert.throws(() => resolveConfig({ regexBudgetMs: 0 }), /regexBudgetMs must be a number above 0, not 0/)
    assert.throws(() => resolveConfig({ regexBudgetMs: Number.NaN }), /regexBudgetMs must be a number above 0, not NaN/)
  })
})
