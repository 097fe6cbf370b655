// Nimbus's Node.js runtime: the loop AWS's runtime interface client runs, against the Lambda
// Runtime API at AWS_LAMBDA_RUNTIME_API. Plain JavaScript, because it runs inside the function's
// own process; it follows aws-lambda-nodejs-runtime-interface-client's behaviour and messages.
// Run as a worker thread instead (`--lambda-executor worker`), the same loop talks to Nimbus over
// the worker's MessagePort; run as a process by Nimbus, over a pipe it is given (pipe-port.mjs).
// Either way no HTTP per invocation, and console lines travel in order with the answers. The HTTP
// client below serves when neither is there.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import util from 'node:util'
import { parentPort, workerData } from 'node:worker_threads'
import { installSdkFallback } from './aws-sdk.mjs'
import { redirectInvokeHosts } from './invoke-hosts.mjs'

/** Set when this runs as a worker thread of Nimbus (worker-sandbox.ts) rather than as a process. */
const worker = parentPort !== null && workerData?.nimbusWorker !== undefined ? workerData.nimbusWorker : undefined
// A process's env is the C library's: each distinct _X_AMZN_TRACE_ID set there is kept by glibc's setenv forever
// (~120 bytes an invocation, measured), so a busy warm environment would grow past its memory size. The trace
// id lives in JavaScript instead (a worker's env is already a copy). The bootstrap's own reads of other variables
// (the context's, per invocation) go to the env itself: the same values, without the wrapper's cost (~0.6 µs a read).
const env = process.env
if (worker === undefined) process.env = traceIdInJs(env)
const [apiHost, apiPort] = splitHostPort(env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001')
const self = fileURLToPath(import.meta.url)
/** `<fd from Nimbus>,<fd to Nimbus>` when Nimbus started this process with its pipe (runtime-pipe.ts). */
const pipe = worker === undefined ? takePipeArgument() : undefined
/** The transport instead of HTTP: the MessagePort (worker-port.mjs) in a worker, the pipe (pipe-port.mjs) in a process. */
const transport = worker !== undefined ? await import('./worker-port.mjs') : pipe !== undefined ? await import('./pipe-port.mjs') : undefined

/** The invocation in progress: its id prefixes console lines, and crashes are reported to it. */
let current
let requestIdForLogs = 'undefined'
/** What an invocation does when the event loop empties; one 'beforeExit' listener serves them all, as in AWS's runtime. */
let onEmptyLoop

patchConsole()
transport?.setUp(worker !== undefined ? worker.taskRoot : pipe)
process.on('beforeExit', () => onEmptyLoop?.())
process.on('uncaughtException', (error) => void crash(error, toRapidResponse(error)))
process.on('unhandledRejection', (reason) => {
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)
  const error = { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: text, trace: [`Runtime.UnhandledPromiseRejection: ${text}`, ...stackOf(reason).slice(1)] }
  void crash(reason, error)
})

// AWS's Node.js runtimes include the SDK v3; the function's own copy and its layers come first.
installSdkFallback()
// AWS's samples call `https://{requestContext.domainName}/…`: those hosts reach Nimbus (invoke-hosts.mjs).
redirectInvokeHosts(env.AWS_ENDPOINT_URL)

main().catch((error) => {
  // The Runtime API went away (the environment is being shut down): nothing left to do.
  process.stderr.write(`Nimbus runtime: ${error?.message ?? error}\n`)
  process.exit(1)
})

async function main() {
  let handler
  try {
    handler = await loadHandler()
  } catch (error) {
    const body = error.rapid ?? toRapidResponse(error)
    console.error('Uncaught Exception', '\t' + JSON.stringify({ errorType: body.errorType, errorMessage: body.errorMessage, stack: body.trace }))
    await post('init/error', JSON.stringify(body), body.errorType)
    process.exit(129)
  }
  for (;;) {
    const next = await nextInvocation()
    await runInvocation(handler, next)
  }
}

async function runInvocation(handler, next) {
  const headers = next.headers
  const id = headers['lambda-runtime-aws-request-id']
  const trace = headers['lambda-runtime-trace-id']
  if (trace !== undefined) process.env._X_AMZN_TRACE_ID = trace
  else delete process.env._X_AMZN_TRACE_ID
  current = id
  requestIdForLogs = id
  const context = makeContext(headers, id)
  let outcome
  try {
    outcome = await runHandler(handler, JSON.parse(typeof next.body === 'string' ? next.body : next.body.toString('utf8')), context)
  } catch (error) {
    outcome = { error }
  }
  await answer(id, outcome)
  current = undefined
}

async function answer(id, outcome) {
  if (outcome.error === undefined || outcome.error === null) {
    let body
    try {
      body = JSON.stringify(outcome.value === undefined ? null : outcome.value) ?? 'null'
    } catch (error) {
      return answer(id, { error })
    }
    await post(`invocation/${id}/response`, body)
    return
  }
  const rapid = toRapidResponse(outcome.error)
  console.error('Invoke Error', '\t' + JSON.stringify({ errorType: rapid.errorType, errorMessage: rapid.errorMessage, stack: rapid.trace }))
  await post(`invocation/${id}/error`, JSON.stringify(rapid), rapid.errorType)
}

/**
 * Runs the handler the three ways Lambda allows: a returned promise, the callback (which by default
 * waits for the event loop to empty, as context.callbackWaitsForEmptyEventLoop says), or
 * context.done/succeed/fail. Whichever comes first wins.
 */
function runHandler(handler, event, context) {
  return new Promise((resolve) => {
    let settled = false
    let pending
    const settle = (error, value) => {
      if (settled) return
      settled = true
      onEmptyLoop = undefined
      resolve({ error, value })
    }
    // A handler that neither returns a promise nor calls back ends, with null, once its work is done.
    onEmptyLoop = () => (pending === undefined ? settle(null, undefined) : settle(pending.error, pending.value))
    const callback = (error, value) => {
      if (context.callbackWaitsForEmptyEventLoop) pending ??= { error, value }
      else settle(error, value)
    }
    context.done = (error, value) => settle(error, value)
    context.succeed = (value) => settle(null, value)
    context.fail = (error) => settle(error ?? 'handled', undefined)
    try {
      const result = handler(event, context, callback)
      if (result !== null && typeof result?.then === 'function') {
        result.then((value) => settle(null, value), (error) => settle(error ?? new Error('Promise rejected without a reason'), undefined))
      }
    } catch (error) {
      settle(error, undefined)
    }
  })
}

function makeContext(headers, id) {
  const deadline = Number(headers['lambda-runtime-deadline-ms'])
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: id,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parseJson(headers['lambda-runtime-cognito-identity']),
    clientContext: parseJson(headers['lambda-runtime-client-context']),
    getRemainingTimeInMillis: () => deadline - Date.now(),
  }
}

/** An uncaught error during an invocation is that invocation's error; the process then exits, as on AWS. */
async function crash(error, rapid) {
  console.error('Uncaught Exception', '\t' + JSON.stringify({ errorType: rapid.errorType, errorMessage: rapid.errorMessage, stack: rapid.trace }))
  try {
    if (current !== undefined) await post(`invocation/${current}/error`, JSON.stringify(rapid), rapid.errorType)
  } finally {
    process.exit(129)
  }
}

// --- Loading the handler -------------------------------------------------------------------------

async function loadHandler() {
  const root = env.LAMBDA_TASK_ROOT ?? process.cwd()
  const full = env._HANDLER ?? ''
  const base = path.basename(full)
  const dot = base.indexOf('.')
  if (dot <= 0 || dot === base.length - 1) throw initError('Runtime.MalformedHandlerName', `Bad handler ${full}`)
  const moduleName = base.slice(0, dot)
  const modulePath = path.resolve(root, path.dirname(full), moduleName)
  const module = await loadModule(modulePath, moduleName)
  const fn = base.slice(dot + 1).split('.').reduce((object, key) => object?.[key], module)
  if (fn === undefined) throw initError('Runtime.HandlerNotFound', `${full} is undefined or not exported`)
  if (typeof fn !== 'function') throw initError('Runtime.HandlerNotFound', `${full} is not a function`)
  return fn
}

/** `.js`, `.mjs`, `.cjs` next to the task root, else a package of that name (as the AWS client does). */
async function loadModule(modulePath, moduleName) {
  try {
    for (const ext of ['.js', '.mjs', '.cjs']) {
      const file = modulePath + ext
      if (!existsSync(file)) continue
      if (ext === '.mjs' || (ext === '.js' && packageType(path.dirname(file)) === 'module')) return await import(pathToFileURL(file).href)
      return createRequire(file)(file)
    }
    return createRequire(path.join(path.dirname(modulePath), 'noop.js'))(moduleName)
  } catch (error) {
    if (error?.code === 'MODULE_NOT_FOUND' || error?.code === 'ERR_MODULE_NOT_FOUND') {
      const message = error.message.startsWith(`Cannot find module '${moduleName}'`)
        ? `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${self}`
        : `${error.name}: ${error.message}`
      throw initError('Runtime.ImportModuleError', message)
    }
    if (error instanceof SyntaxError) throw initError('Runtime.UserCodeSyntaxError', `SyntaxError: ${error.message}`, error)
    throw error
  }
}

/** The `type` of the nearest package.json, which decides how a `.js` file loads. */
function packageType(dir) {
  for (let at = dir; ; at = path.dirname(at)) {
    const file = path.join(at, 'package.json')
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')).type ?? 'commonjs'
      } catch {
        return 'commonjs'
      }
    }
    if (path.dirname(at) === at) return 'commonjs'
  }
}

function initError(errorType, errorMessage, cause) {
  const error = new Error(errorMessage)
  error.name = errorType
  const trace = [...`${errorType}: ${errorMessage}`.split('\n'), ...stackOf(cause ?? error).filter((line) => line.startsWith('    at '))]
  error.rapid = { errorType, errorMessage, trace }
  return error
}

// --- Errors and logging --------------------------------------------------------------------------

/** The error body AWS's Node runtime posts: {errorType, errorMessage, trace}. */
function toRapidResponse(error) {
  try {
    if (error instanceof Error || (error && typeof error === 'object' && 'message' in error && 'name' in error)) {
      return { errorType: String(error.name), errorMessage: String(error.message), trace: stackOf(error) }
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] }
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack' }
  }
}

function stackOf(error) {
  return typeof error?.stack === 'string' ? error.stack.split('\n') : []
}

/** console.* as AWS formats it: `<ISO time>\t<request id>\t<LEVEL>\t<message>`, one line per call. */
function patchConsole() {
  const write = (level) => (...args) => {
    const message = util.format(...args).replace(/\n/g, '\r')
    const line = `${new Date().toISOString()}\t${requestIdForLogs}\t${level}\t${message}`
    if (transport !== undefined) transport.log(line)
    else process.stdout.write(line + '\n')
  }
  console.log = write('INFO')
  console.info = write('INFO')
  console.warn = write('WARN')
  console.error = write('ERROR')
  console.debug = write('DEBUG')
  console.trace = write('TRACE')
}

function parseJson(text) {
  if (text === undefined || text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

// --- The Runtime API client ----------------------------------------------------------------------

function nextInvocation() {
  return transport === undefined ? call('GET', 'invocation/next') : transport.next()
}

function post(pathname, body, errorType) {
  if (transport !== undefined) return transport.post(pathname, body, errorType)
  const headers = { 'Content-Type': errorType ? 'application/vnd.aws.lambda.error+json' : 'application/json' }
  if (errorType) headers['Lambda-Runtime-Function-Error-Type'] = errorType.replace(/[^\x20-\x7e]/g, '?')
  return call('POST', pathname, body, headers)
}

/**
 * A minimal HTTP/1.1 client on one kept-alive socket. node:http would do, but loading it costs
 * ~40 ms of every cold start; the Runtime API's requests and answers are simple and sequential.
 */
let socket
let buffered = Buffer.alloc(0)
let waiter
let queue = Promise.resolve()

function call(method, pathname, body, headers = {}) {
  const run = () => new Promise((resolve, reject) => {
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body)
    let head = `${method} /2018-06-01/runtime/${pathname} HTTP/1.1\r\nHost: ${apiHost}:${apiPort}\r\nContent-Length: ${payload.length}\r\n`
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`
    waiter = { resolve, reject }
    const s = connection()
    s.ref()
    s.write(head + '\r\n')
    if (payload.length > 0) s.write(payload)
  })
  const result = queue.then(run, run)
  queue = result.catch(() => {})
  return result
}

function connection() {
  if (socket !== undefined && !socket.destroyed) return socket
  buffered = Buffer.alloc(0)
  socket = net.connect({ host: apiHost, port: apiPort, noDelay: true })
  socket.on('data', (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk])
    parseResponse()
  })
  const fail = (error) => {
    const w = waiter
    waiter = undefined
    w?.reject(error ?? new Error('Runtime API connection closed'))
  }
  socket.on('error', fail)
  socket.on('close', () => fail())
  return socket
}

function parseResponse() {
  const end = buffered.indexOf('\r\n\r\n')
  if (end < 0 || waiter === undefined) return
  const lines = buffered.toString('latin1', 0, end).split('\r\n')
  const headers = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers['content-length'] ?? 0)
  if (buffered.length < end + 4 + length) return
  const body = buffered.subarray(end + 4, end + 4 + length)
  buffered = buffered.subarray(end + 4 + length)
  const w = waiter
  waiter = undefined
  // Idle between requests, the socket must not keep the process alive: a callback handler's
  // result is sent when the event loop empties ('beforeExit'), as on AWS.
  socket.unref()
  w.resolve({ status: Number(lines[0].split(' ')[1]), headers, body })
}

/** The pipe's descriptors from process.argv, which the handler then sees as AWS's runtime leaves it. */
function takePipeArgument() {
  const i = process.argv.findIndex((arg) => arg.startsWith('--nimbus-runtime-pipe='))
  if (i < 0) return undefined
  const value = process.argv[i].slice('--nimbus-runtime-pipe='.length)
  process.argv.splice(i, 1)
  return /^\d+,\d+$/.test(value) ? value : undefined
}

function splitHostPort(value) {
  const i = value.lastIndexOf(':')
  return [value.slice(0, i), Number(value.slice(i + 1))]
}

/**
 * `real` (process.env) with `_X_AMZN_TRACE_ID` held in JavaScript: read, written, deleted, listed, copied
 * (`{...process.env}`) and passed to child processes as any variable, but never handed to setenv.
 */
function traceIdInJs(real) {
  const KEY = '_X_AMZN_TRACE_ID'
  let trace = real[KEY]
  // One unsetenv, so the C environment never holds a stale id.
  delete real[KEY]
  return new Proxy(real, {
    get: (target, key) => (key === KEY ? trace : Reflect.get(target, key)),
    set: (target, key, value) => {
      if (key !== KEY) return Reflect.set(target, key, value)
      trace = String(value)
      return true
    },
    has: (target, key) => (key === KEY ? trace !== undefined : Reflect.has(target, key)),
    deleteProperty: (target, key) => {
      if (key !== KEY) return Reflect.deleteProperty(target, key)
      trace = undefined
      return true
    },
    ownKeys: (target) => {
      const keys = Reflect.ownKeys(target).filter((k) => k !== KEY)
      return trace === undefined ? keys : [...keys, KEY]
    },
    getOwnPropertyDescriptor: (target, key) => {
      if (key !== KEY) return Reflect.getOwnPropertyDescriptor(target, key)
      return trace === undefined ? undefined : { value: trace, writable: true, enumerable: true, configurable: true }
    },
  })
}
