// GET /_nimbus/ui and its assets over raw HTTP: the page and its files with their types and a
// Content-Security-Policy that keeps the page on Nimbus's own origin; anything else a clear JSON 4xx.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { buildConsole } from '../../../scripts/build-console.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const get = (path: string, method = 'GET') => rawRequest(nimbus.current.endpoint, { method, path })

describe('the console route /_nimbus/ui', () => {
  before(() => buildConsole())

  it('serves the page at /_nimbus/ui and /_nimbus/ui/, its script and styles, under a self-only CSP', async () => {
    for (const path of ['/_nimbus/ui', '/_nimbus/ui/']) {
      const page = await get(path)
      assert.equal(page.status, 200)
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8')
      assert.match(page.body, /<script type="module" src="\/_nimbus\/ui\/app\.js">/)
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'.*connect-src 'self'/)
    }
    const script = await get('/_nimbus/ui/app.js')
    assert.deepEqual([script.status, script.headers['content-type']], [200, 'text/javascript; charset=utf-8'])
    assert.ok(script.body.length > 1000)
    const styles = await get('/_nimbus/ui/app.css')
    assert.deepEqual([styles.status, styles.headers['content-type']], [200, 'text/css; charset=utf-8'])
    const head = await get('/_nimbus/ui/app.js', 'HEAD')
    assert.deepEqual([head.status, head.body], [200, ''])
  })

  it('answers 404 for files it doesn\'t have, paths that climb out included, and keeps serving', async () => {
    for (const path of ['/_nimbus/ui/nope.js', '/_nimbus/ui/%2e%2e%2fpackage.json', '/_nimbus/ui/..%2f..%2fpackage.json', '/_nimbus/ui/a/b.js',
      '/_nimbus/ui/app.exe']) {
      const answer = await get(path)
      assert.equal(answer.status, 404, path)
      assert.equal(JSON.parse(answer.body).error, 'NotFound', path)
    }
    assert.equal((await get('/_nimbus/ui')).status, 200)
  })

  it('takes only GET and HEAD', async () => {
    const answer = await rawRequest(nimbus.current.endpoint, { method: 'POST', path: '/_nimbus/ui', headers: jsonHeaders, body: '{}' })
    assert.equal(answer.status, 405)
    assert.deepEqual(JSON.parse(answer.body), { error: 'MethodNotAllowed', message: 'Use GET.' })
  })
})
