import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeZip } from '../../../test/helpers/zip.ts'
import { readZip, safeEntryPath, ZipError } from './zip.ts'

describe('zip reader', () => {
  it('reads deflated entries with their Unix modes', () => {
    const zip = makeZip([{ path: 'index.js', content: 'exports.handler = 1' }, { path: 'bin/bootstrap', content: '#!/bin/sh', mode: 0o755 }])
    const entries = readZip(zip)
    assert.deepEqual(entries.map((e) => e.path), ['index.js', 'bin/bootstrap'])
    assert.equal(entries[0]!.data().toString(), 'exports.handler = 1')
    assert.equal(entries[1]!.mode, 0o755)
  })

  it('refuses paths that would escape the folder', () => {
    for (const bad of ['../evil.js', 'a/../../evil', '/etc/passwd', 'C:/x', 'a\\..\\..\\b']) {
      assert.throws(() => safeEntryPath(bad), ZipError, bad)
    }
    assert.throws(() => readZip(makeZip([{ path: '../x.js', content: 'x' }])), ZipError)
  })

  it('refuses what is not a zip, or is cut short', () => {
    assert.throws(() => readZip(Buffer.from('hello world, not a zip at all')), ZipError)
    const zip = makeZip([{ path: 'a.js', content: 'x'.repeat(1000) }])
    assert.throws(() => readZip(zip.subarray(0, zip.length - 30)), ZipError)
    const corrupt = Buffer.from(zip)
    corrupt[40] = (corrupt[40]! + 1) % 256
    assert.throws(() => readZip(corrupt)[0]!.data(), ZipError)
  })
})
