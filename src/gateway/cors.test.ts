import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { corsOrigins, originAllowed } from './cors.ts'

describe('originAllowed', () => {
  it('takes pages on this machine and configured origins only', () => {
    const none = corsOrigins([])
    for (const origin of ['http://localhost', 'http://localhost:3000', 'https://127.0.0.1:8443', 'http://[::1]:5173', 'http://[::1]',
      'http://app.localhost:3000']) assert.equal(originAllowed(origin, none), true, origin)
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example', 'http://[::1].evil',
      'null', 'file://', 'localhost:3000', 'http://127.0.0.2:80']) assert.equal(originAllowed(origin, none), false, origin)
    const listed = corsOrigins(['https://App.Example.test/', ' https://other.test '])
    assert.equal(originAllowed('https://app.example.test', listed), true)
    assert.equal(originAllowed('https://other.test', listed), true)
    assert.equal(originAllowed('https://third.test', listed), false)
    assert.equal(originAllowed('https://anyone.example', corsOrigins(['*'])), true)
  })
})
