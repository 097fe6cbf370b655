// The published path, from the packed tarball: `npm pack`, installed into an empty project offline
// (Nimbus has no runtime dependencies), `npx nimbus start` served to an SDK client and stopped by a
// signal, and `import { startNimbus } from 'nimbus-local'` embedding it.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs'
import { readyEndpoint, untilRefused } from '../helpers/cli-process.ts'

const run = promisify(execFile)
const root = new URL('../..', import.meta.url).pathname
const project = mkdtempSync(join(tmpdir(), 'nimbus-packed-'))

before(async () => {
  // dist/ as `npm pack`'s prepack would build it, without rebuilding a current one.
  await run(process.execPath, [join(root, 'scripts/build.ts'), '--if-stale'], { cwd: root })
  // A current dist/ is left alone (`npm start`'s prestart): the stamp keeps its time.
  const stamp = statSync(join(root, 'dist/.build-stamp')).mtimeMs
  await run(process.execPath, [join(root, 'scripts/build.ts'), '--if-stale'], { cwd: root })
  assert.equal(statSync(join(root, 'dist/.build-stamp')).mtimeMs, stamp)
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: root })
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[]
  const paths = packed!.files.map((f) => f.path)
  assert.ok(paths.includes('dist/cli.js') && paths.includes('dist/index.d.ts') && paths.includes('dist/gateway/aws-services.json'), paths.join())
  assert.ok(paths.includes('dist/console-ui/index.html') && paths.includes('dist/console-ui/app.js'), paths.join()) // the web console, built
  assert.ok(!paths.some((p) => p.endsWith('.test.js') || p.startsWith('src/') || p.startsWith('test/') || p === 'dist/.build-stamp'), paths.join())
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-nimbus', private: true, type: 'module' }))
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', `./${packed!.filename}`], { cwd: project })
})
after(() => rmSync(project, { recursive: true, force: true }))

describe('the packed package', () => {
  it('has no runtime dependencies and keeps the nimbus command', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/nimbus-local/package.json'), 'utf8')) as Record<string, unknown>
    assert.equal(manifest['dependencies'], undefined)
    assert.deepEqual(manifest['bin'], { nimbus: 'dist/cli.js' })
  })

  it('npx nimbus start serves an SDK client and stops on SIGTERM', async () => {
    const child = spawn('npx', ['--no-install', 'nimbus', 'start', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] })
    const endpoint = await readyEndpoint(child)
    const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'from-the-tarball' }))
    assert.match(QueueUrl ?? '', /\/000000000000\/from-the-tarball$/)
    sqs.destroy()
    const page = await fetch(`${endpoint}/_nimbus/ui`)
    assert.equal(page.status, 200)
    assert.match(await page.text(), /<script type="module" src="\/_nimbus\/ui\/app\.js">/)
    const script = await fetch(`${endpoint}/_nimbus/ui/app.js`)
    assert.deepEqual([script.status, script.headers.get('content-type')], [200, 'text/javascript; charset=utf-8'])
    await script.arrayBuffer()
    child.kill('SIGTERM')
    await once(child, 'exit')
    await untilRefused(endpoint)
  })

  it('embeds: import { startNimbus } from \'nimbus-local\'', async () => {
    writeFileSync(join(project, 'embed.mjs'), [
      "import { startNimbus } from 'nimbus-local'",
      "const nimbus = await startNimbus({ port: 0, clock: 'manual' })",
      "const health = await (await fetch(nimbus.endpoint + '/_nimbus/health')).json()",
      'console.log(JSON.stringify({ endpoint: nimbus.endpoint, edition: health.edition, mode: health.clock.mode }))',
      'await nimbus.stop()',
    ].join('\n'))
    const { stdout } = await run(process.execPath, ['embed.mjs'], { cwd: project })
    const answer = JSON.parse(stdout) as { endpoint: string; edition: string; mode: string }
    assert.match(answer.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.deepEqual([answer.edition, answer.mode], ['nimbus', 'manual'])
  })
})
