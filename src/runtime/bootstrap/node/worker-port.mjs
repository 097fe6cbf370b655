// The worker-thread side of Nimbus's Node.js runtime (`--lambda-executor worker`): what bootstrap.mjs
// does over HTTP against the Runtime API, done over the worker's MessagePort (worker-sandbox.ts is
// the other end). Plain JavaScript, loaded only inside a worker.
import { statSync } from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import { parentPort } from 'node:worker_threads'

let nextWaiter
/** An answer not sent yet: it goes with the next request for work, one message (one thread wake-up) for both. */
let unsent

/**
 * The port is referenced only while waiting for work: during an invocation the worker's event loop
 * may empty, which is how a callback handler's result is sent ('beforeExit'), as in a process.
 * process.chdir() is not available in a worker: the task root is emulated as the working directory
 * for process.cwd(), path.resolve() and process.chdir() (fs calls with relative paths still resolve
 * against Nimbus's own working directory).
 */
export function setUp(taskRoot) {
  parentPort.on('message', (message) => {
    if (message?.t !== 'invoke' || nextWaiter === undefined) return
    const resolve = nextWaiter
    nextWaiter = undefined
    parentPort.unref()
    resolve({ status: 200, headers: message.headers, body: message.body })
  })
  // Whatever ends the worker (a crash, the handler's own process.exit) sends the answer first, then
  // says so at once: Nimbus hands no more work to an environment that is going.
  process.on('exit', (code) => {
    flushAnswer()
    parentPort.postMessage({ t: 'exit', code })
  })
  // process.stdout/stderr writes go on the same port as the answers too, so they arrive before them.
  for (const [name, stream] of [['stdout', process.stdout], ['stderr', process.stderr]]) {
    stream.write = (chunk, encoding, callback) => {
      if (typeof encoding === 'function') callback = encoding
      const data = typeof chunk === 'string' ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice()
      parentPort.postMessage({ t: 'out', stream: name, data })
      if (typeof callback === 'function') process.nextTick(callback)
      return true
    }
  }
  let cwd = taskRoot
  process.cwd = () => cwd
  process.chdir = (directory) => {
    const to = path.resolve(cwd, String(directory))
    if (statSync(to, { throwIfNoEntry: false })?.isDirectory() !== true) {
      throw Object.assign(new Error(`ENOENT: no such file or directory, chdir ${cwd} -> '${directory}'`), { errno: -2, code: 'ENOENT', syscall: 'chdir', path: cwd, dest: String(directory) })
    }
    cwd = to
  }
}

/** One console line (already in AWS's format), on the same port as the answers so it arrives first. */
export function log(line) {
  parentPort.postMessage({ t: 'log', line })
}

/** Resolves with the next invocation, as GET /next would ({headers, body}). */
export function next() {
  return new Promise((resolve) => {
    nextWaiter = resolve
    parentPort.ref()
    const message = unsent ?? { t: 'post' }
    unsent = undefined
    message.next = true
    parentPort.postMessage(message)
  })
}

/** POST to a Runtime API path (`invocation/{id}/response|error`, `init/error`). */
export function post(pathname, body, errorType) {
  flushAnswer()
  const heap = v8.getHeapStatistics()
  unsent = { t: 'post', path: pathname, body, errorType, memory: heap.used_heap_size + (heap.external_memory ?? 0) }
  // Init errors end the worker at once; invocation answers wait for next() or the exit.
  if (pathname === 'init/error') flushAnswer()
  return Promise.resolve()
}

function flushAnswer() {
  if (unsent === undefined) return
  const message = unsent
  unsent = undefined
  parentPort.postMessage(message)
}
