import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { describe, it } from 'node:test'
import { allowedHosts, hostAllowed } from './host-check.ts'

describe('hostAllowed', () => {
  const builtIn = allowedHosts([])

  it('takes IP literals, localhost names, AWS names and this machine, any port', () => {
    for (const host of [undefined, '127.0.0.1', '127.0.0.1:4566', '192.168.1.20:80', '[::1]', '[::1]:4566', '[fe80::1%25en0]:1',
      'localhost', 'LocalHost:4566', 'localhost.', 'b.localhost:4566', 'id.execute-api.localhost', 'localhost.localstack.cloud',
      'b.s3.localhost.localstack.cloud:4566', 'amazonaws.com', 'sqs.us-east-1.amazonaws.com', 'b.s3.amazonaws.com:443',
      's3.cn-north-1.amazonaws.com.cn', hostname(), `${hostname()}:4566`]) {
      assert.equal(hostAllowed(host, builtIn), true, String(host))
    }
  })

  it('refuses any other name, including look-alikes', () => {
    for (const host of ['evil.example', 'evil.example:4566', 'localhost.evil.example', 'evilamazonaws.com', 'amazonaws.com.evil.example',
      '127.0.0.1.nip.io', '1.2.3', '1.2.3.4.5', '[::1', '[::1]x', 'xlocalhost', '']) {
      assert.equal(hostAllowed(host, builtIn), false, host)
    }
  })

  it("takes API Gateway's invoke hosts (all three forms) but no execute-api name under a foreign domain", () => {
    for (const host of ['a1b2c3d4e5.execute-api.localhost:4566', 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      'a1b2c3d4e5.execute-api.localhost.localstack.cloud:4566']) assert.equal(hostAllowed(host, builtIn), true, host)
    for (const host of ['a1b2c3d4e5.execute-api.evil.example', 'a1b2c3d4e5.execute-api.localhost.evil.example:4566']) {
      assert.equal(hostAllowed(host, builtIn), false, host)
    }
  })

  it('adds configured names, `.suffix` / `*.suffix` for subdomains, `*` for all', () => {
    const configured = allowedHosts(['Nimbus.Internal', '.dev.test', '*.ci.test'])
    for (const host of ['nimbus.internal', 'nimbus.internal:4566', 'a.dev.test', 'b.a.ci.test']) assert.equal(hostAllowed(host, configured), true, host)
    for (const host of ['other.internal', 'dev.test.evil', 'xdev.test']) assert.equal(hostAllowed(host, configured), false, host)
    assert.equal(hostAllowed('anything.example', allowedHosts(['*'])), true)
  })
})
