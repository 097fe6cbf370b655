import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resolveConfig } from './config.ts'

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
