// Extracting packages: symlinks stay symlinks, and no entry can be written through one (or under a file);
// a durable store keeps the zips and, at start, keeps exactly what rows reference.
import assert from 'node:assert/strict'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { makeZip } from '../../../test/helpers/zip.ts'
import { isAwsError } from '../../protocol/errors.ts'
import { CodeStore } from './code-store.ts'

const root = mkdtempSync(join(tmpdir(), 'nimbus-code-'))
const outside = mkdtempSync(join(tmpdir(), 'nimbus-outside-'))
after(() => {
  rmSync(root, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})
const store = new CodeStore(join(root, 'code'))

function refused(zip: Buffer): void {
  assert.throws(() => store.put(zip), (error: unknown) => isAwsError(error) && error.code === 'InvalidParameterValueException' &&
    error.message === 'Could not unzip uploaded file. Please check your file, then try to upload again.')
}

describe('code store', () => {
  it('keeps a symlink inside the package as a symlink', () => {
    const { dir } = store.put(makeZip([{ path: 'real/a.txt', content: 'hello' }, { path: 'lib', content: 'real', symlink: true }]))
    assert.ok(lstatSync(join(dir, 'lib')).isSymbolicLink())
    assert.equal(readlinkSync(join(dir, 'lib')), 'real')
    assert.equal(readFileSync(join(dir, 'lib', 'a.txt'), 'utf8'), 'hello')
  })

  it('refuses a file under a symlink (lnk, then lnk/x)', () => {
    refused(makeZip([{ path: 'lnk', content: 'target', symlink: true }, { path: 'lnk/x', content: 'x' }]))
    refused(makeZip([{ path: 'lnk', content: 'plain file' }, { path: 'lnk/x', content: 'x' }]))
  })

  it('never writes through a symlink that points outside the package', () => {
    refused(makeZip([{ path: 'out', content: outside, symlink: true }, { path: 'out/pwned', content: 'x' }]))
    refused(makeZip([{ path: 'up', content: '../../..', symlink: true }, { path: 'up/pwned', content: 'x' }]))
    refused(makeZip([{ path: 'f', content: join(outside, 'f'), symlink: true }, { path: 'f', content: 'overwrite' }]))
    assert.equal(existsSync(join(outside, 'pwned')), false)
    assert.equal(existsSync(join(outside, 'f')), false)
  })

  it('refuses a directory where a file already is, and the reverse', () => {
    refused(makeZip([{ path: 'a/b', content: 'x' }, { path: 'a', content: 'y' }]))
  })

  it('durable: keeps each zip by hash; restore drops what no row references and re-extracts what went missing', () => {
    const lambdaDir = join(root, 'durable')
    const durable = new CodeStore(join(lambdaDir, 'code'), join(lambdaDir, 'packages'))
    const kept = durable.put(makeZip([{ path: 'index.js', content: 'kept' }]))
    const dropped = durable.put(makeZip([{ path: 'index.js', content: 'dropped' }]))
    assert.deepEqual(readdirSync(join(lambdaDir, 'packages')).sort(), [`${CodeStore.hashOf(dropped)}.zip`, `${CodeStore.hashOf(kept)}.zip`].sort())
    mkdirSync(join(lambdaDir, 'code', 'x.tmp-1-2'))
    writeFileSync(join(lambdaDir, 'packages', 'y.zip.tmp-3'), '')
    rmSync(kept.dir, { recursive: true })
    const lines: string[] = []
    durable.restore(new Set([CodeStore.hashOf(kept), 'f'.repeat(64)]), (line) => lines.push(line))
    assert.equal(readFileSync(join(durable.dirOf(CodeStore.hashOf(kept)), 'index.js'), 'utf8'), 'kept')
    assert.deepEqual(readdirSync(join(lambdaDir, 'code')), [CodeStore.hashOf(kept)])
    assert.deepEqual(readdirSync(join(lambdaDir, 'packages')), [`${CodeStore.hashOf(kept)}.zip`])
    assert.equal(lines.length, 1, 'a referenced package that is gone is reported')
    assert.match(lines[0]!, /f{64} is missing/)
  })
})
