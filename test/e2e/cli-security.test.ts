// `nimbus start --cors-origins … --allowed-hosts …`, and the same through NIMBUS_CORS_ORIGINS / NIMBUS_ALLOWED_HOSTS.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, it } from 'node:test'
import { rawRequest } from '../helpers/raw-http.ts'

async function withCli(args: string[], env: Record<string, string>, use: (endpoint: string) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, ['src/cli.ts', 'start', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env } })
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const found = /ready on (http:\/\/\S+)/.exec(out)?.[1]
        if (found !== undefined) resolve(found)
      })
      child.once('exit', (code) => reject(new Error(`nimbus exited with ${code}: ${out}`)))
    })
    await use(endpoint)
  } finally {
    child.kill('SIGTERM')
    await once(child, 'exit')
  }
}

async function check(endpoint: string, origin: string, host: string): Promise<void> {
  const preflight = await rawRequest(endpoint, { method: 'OPTIONS', path: '/', headers: { origin, 'access-control-request-method': 'POST' } })
  assert.equal(preflight.headers['access-control-allow-origin'], origin)
  assert.equal((await rawRequest(endpoint, { method: 'OPTIONS', path: '/',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })).status, 403)
  assert.equal((await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/health', headers: { host } })).status, 200)
  assert.equal((await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/health', headers: { host: 'evil.example' } })).status, 403)
}

describe('nimbus start security options', () => {
  it('takes --cors-origins and --allowed-hosts', async () => {
    await withCli(['--cors-origins', 'https://app.test,https://two.test', '--allowed-hosts', 'nimbus.test'], {},
      (endpoint) => check(endpoint, 'https://two.test', 'nimbus.test:4566'))
  })

  it('takes NIMBUS_CORS_ORIGINS and NIMBUS_ALLOWED_HOSTS', async () => {
    await withCli([], { NIMBUS_CORS_ORIGINS: 'https://env.test', NIMBUS_ALLOWED_HOSTS: '.docker.test' },
      (endpoint) => check(endpoint, 'https://env.test', 'nimbus.docker.test'))
  })
})
