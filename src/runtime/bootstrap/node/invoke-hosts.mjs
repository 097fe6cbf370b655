// API Gateway invoke hosts inside a function, as AWS's samples use them: the WebSocket tutorial's
// `new ApiGatewayManagementApiClient({ endpoint: 'https://' + domainName + '/' + stage })`, or a
// call to an API's invoke URL. In Nimbus those names (`{id}.execute-api.localhost`…) don't resolve and
// nothing serves TLS, so requests to them go to Nimbus's own endpoint (AWS_ENDPOINT_URL, plain http)
// with the original name in the Host header, which is how Nimbus's gateway tells APIs apart. Every
// other request is left alone. Plain JavaScript, loaded by bootstrap.mjs inside the function's process
// or worker thread. Loading `node:http` costs a cold start tens of milliseconds, so nothing is loaded
// here: the modules are wrapped when the function's code (or the SDK) first asks for one.
import module from 'node:module'

/** `{id}.execute-api.localhost`, `{id}.execute-api.{region}.amazonaws.com`, `{id}.execute-api.localhost.localstack.cloud`. */
const INVOKE_HOST = /^[a-z0-9]+\.execute-api\.(?:localhost|localhost\.localstack\.cloud|[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com)\.?$/i

const MODULES = new Set(['http', 'https', 'node:http', 'node:https'])

export const isInvokeHost = (hostname) => typeof hostname === 'string' && INVOKE_HOST.test(hostname)

/**
 * Wraps `https.request`/`https.get` (any port) and `http.request`/`http.get` (no port given) for the
 * invoke hosts, and global `fetch` for `https://` (or port-less `http://`) URLs naming one. Does nothing
 * without a usable http endpoint.
 */
export function redirectInvokeHosts(endpointUrl) {
  let endpoint
  try {
    endpoint = new URL(endpointUrl)
  } catch {
    return
  }
  if (endpoint.protocol !== 'http:') return
  const target = { hostname: endpoint.hostname.replace(/^\[|\]$/g, ''), port: Number(endpoint.port || 80) }
  if (typeof globalThis.fetch === 'function') globalThis.fetch = wrapFetch(globalThis.fetch, endpoint)
  if (typeof module.registerHooks !== 'function' || typeof process.getBuiltinModule !== 'function') return wrapModules(target)
  // In-thread and synchronous (Node ≥ 22.15), for require() and import alike: the first resolution of
  // `http` or `https` wraps both before the caller gets them; later resolutions pass straight through.
  let wrapped = false
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (!wrapped && MODULES.has(specifier)) {
        wrapped = true
        wrapModules(target)
      }
      return nextResolve(specifier, context)
    },
  })
}

function wrapModules(target) {
  const http = process.getBuiltinModule?.('node:http') ?? requireBuiltin('http')
  const https = process.getBuiltinModule?.('node:https') ?? requireBuiltin('https')
  const httpRequest = http.request
  const send = (options, callback) => httpRequest(options, callback)
  https.request = wrap(https.request, 'https:', target, send, false)
  https.get = wrap(https.get, 'https:', target, send, true)
  http.request = wrap(httpRequest, 'http:', target, send, false)
  http.get = wrap(http.get, 'http:', target, send, true)
  // `import { request } from 'node:https'` bindings follow the new functions.
  module.syncBuiltinESMExports()
}

function requireBuiltin(name) {
  return module.createRequire(import.meta.url)(name)
}

function wrap(original, scheme, target, send, get) {
  const wrapped = function (...args) {
    const redirected = redirect(args, scheme, target)
    if (redirected === undefined) return original.apply(this, args)
    const req = send(redirected.options, redirected.callback)
    if (get) req.end()
    return req
  }
  Object.defineProperty(wrapped, 'name', { value: original.name })
  return wrapped
}

/** The http options for a call to an invoke host, or undefined for any other call (left untouched). */
function redirect(args, scheme, target) {
  let [first, second, third] = args
  let url
  let options
  let callback
  if (typeof first === 'string' || first instanceof URL) {
    try {
      url = typeof first === 'string' ? new URL(first) : first
    } catch {
      return undefined
    }
    if (typeof second === 'function') callback = second
    else {
      options = second
      callback = third
    }
  } else {
    options = first
    callback = second
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) return undefined
  const opts = options ?? {}
  const fromHost = typeof opts.host === 'string' ? opts.host.replace(/:\d+$/, '') : undefined
  const hostname = opts.hostname ?? fromHost ?? url?.hostname
  if (!isInvokeHost(hostname)) return undefined
  const port = opts.port ?? (url?.port ? url.port : undefined)
  const hasPort = port !== undefined && port !== null && port !== ''
  // Plain http only for the port-less form: `http://{id}.execute-api.localhost:4566` may be served by the caller's own setup.
  if (scheme === 'http:' && hasPort) return undefined
  const defaultPort = scheme === 'https:' ? 443 : 80
  const hostHeader = hasPort && Number(port) !== defaultPort ? `${hostname}:${port}` : hostname
  const merged = { ...(url === undefined ? {} : urlOptions(url)), ...opts }
  delete merged.host
  delete merged.port
  delete merged.servername
  merged.protocol = 'http:'
  merged.hostname = target.hostname
  merged.port = target.port
  // An https agent (the SDK's, or the caller's) can't carry plain http: the default agent does.
  if (scheme === 'https:' && merged.agent !== false) delete merged.agent
  merged.headers = withHost(opts.headers, hostHeader)
  return { options: merged, callback }
}

function urlOptions(url) {
  return {
    hostname: url.hostname,
    path: `${url.pathname || '/'}${url.search}`,
    ...(url.username || url.password ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
  }
}

/** The caller's headers, with Host added when they name none (the SDK signs and sends its own). */
function withHost(headers, host) {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === 'host') return headers
    return [...headers, 'Host', host]
  }
  const copy = { ...(headers ?? {}) }
  if (!Object.keys(copy).some((name) => name.toLowerCase() === 'host')) copy.Host = host
  return copy
}

/**
 * Global fetch (undici) ignores a Host header, so the call keeps its URL and goes through a
 * dispatcher that sends it to Nimbus with the original host: given per call, only for invoke hosts.
 */
function wrapFetch(original, endpoint) {
  const origin = endpoint.origin
  const dispatcher = {
    dispatch(opts, handler) {
      const from = new URL(opts.origin)
      const headers = withHost(opts.headers, from.host)
      const global = globalThis[Symbol.for('undici.globalDispatcher.1')]
      return global.dispatch({ ...opts, origin, headers }, handler)
    },
  }
  const fetch = function (input, init) {
    let url
    try {
      url = new URL(input instanceof Request ? input.url : String(input))
    } catch {
      return original.call(this, input, init)
    }
    if (!isInvokeHost(url.hostname) || (url.protocol !== 'https:' && (url.protocol !== 'http:' || url.port !== ''))) return original.call(this, input, init)
    return original.call(this, input, { ...init, dispatcher })
  }
  Object.defineProperty(fetch, 'name', { value: original.name })
  return fetch
}
