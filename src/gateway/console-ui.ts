// GET /_nimbus/ui (and /_nimbus/ui/<asset>): the web console's built files (console-ui/ bundled by
// scripts/build-console.ts into dist/console-ui/), read once and answered from memory. Nothing here is
// fetched from elsewhere at run time, and the Content-Security-Policy keeps the page from reaching
// any origin but Nimbus's own.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'

const types: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
}

/** Built beside this module in a package (dist/gateway → dist/console-ui); from src/, the last build's dist/console-ui. */
const candidates = ['../console-ui/', '../../dist/console-ui/'].map((p) => fileURLToPath(new URL(p, import.meta.url)))
const cache = new Map<string, Buffer>()

export function isConsolePath(path: string): boolean {
  return path === '/_nimbus/ui' || path.startsWith('/_nimbus/ui/')
}

export function consoleUi(request: HttpRequest, path: string): HttpResponse {
  if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, { error: 'MethodNotAllowed', message: 'Use GET.' })
  // Every page of the console is the one index.html: the page routes itself (#/…).
  const name = path === '/_nimbus/ui' || path === '/_nimbus/ui/' ? 'index.html' : path.slice('/_nimbus/ui/'.length)
  const ext = /^[a-z0-9-]+\.([a-z]+)$/.exec(name)?.[1]
  const type = ext === undefined ? undefined : types[ext]
  const body = type === undefined ? undefined : asset(name)
  if (body === undefined) {
    const dir = candidates.find((d) => existsSync(d))
    return dir === undefined && name === 'index.html'
      ? json(503, { error: 'ConsoleNotBuilt', message: 'The console is not built: run `node scripts/build.ts` (npm start and npm test do).' })
      : json(404, { error: 'NotFound', message: `No console file ${name}` })
  }
  return {
    status: 200,
    headers: {
      'content-type': type!,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    },
    body: request.method === 'HEAD' ? '' : body,
  }
}

function asset(name: string): Buffer | undefined {
  const cached = cache.get(name)
  if (cached !== undefined) return cached
  for (const [i, dir] of candidates.entries()) {
    if (!existsSync(dir + name)) continue
    const body = readFileSync(dir + name)
    // Beside the module (a package) the files never change; run from src/, a rebuild shows without a restart.
    if (i === 0) cache.set(name, body)
    return body
  }
  return undefined
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}
