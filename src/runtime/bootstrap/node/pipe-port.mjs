// The process side of the pipe Nimbus's Node.js runtime talks over (runtime-pipe.ts is the other
// end): what bootstrap.mjs does over HTTP against the Runtime API, done in framed messages on two
// inherited sockets, fd 3 from Nimbus and fd 4 to it. Plain JavaScript, loaded only in a process
// started with the pipe. Node marked both descriptors close-on-exec as it started, so processes the
// function spawns don't inherit them.
//
// Between invocations the process blocks in a read of fd 3 (a blocking socket, as the child's end
// of the pair is made), as AWS freezes an environment between invocations: no epoll, no stream and
// no event-loop turn per invocation. Once the function leaves work in the event loop while waiting
// (a timer, a socket: see idle()), or should fd 3 be non-blocking, fd 3 is read as a socket instead.
//
// Frame: [u8 kind][u32 header bytes][u32 body bytes][header: JSON][body], big-endian lengths.
import { readSync, writeSync } from 'node:fs'
import net from 'node:net'

const LOG = 1
const POST = 2
const INVOKE = 3
const PREFIX_BYTES = 9
const EMPTY = Buffer.alloc(0)
/** What one read of fd 3 fills; a view into it is valid only until the next read. */
const readBuffer = Buffer.allocUnsafeSlow(64 * 1024)

/** fd 3 (from Nimbus); `input` is its socket only if it had to be read as one (non-blocking). */
let from = -1
let input
let output = -1
/** Bytes from fd 3 not yet making a whole frame. */
let buffered = EMPTY
/** A big frame's chunks, joined once when it is whole (not copied again for every chunk). */
let parts = []
let partBytes = 0
let frameBytes = 0
/** Invocations that arrived, in order (Nimbus sends one only when asked, so at most one). */
const arrived = []
let nextWaiter
let closed = false
/** When the event loop last turned before a wait (performance.now()); see idle(). */
let lastTurn = -Infinity
const TURN_EVERY_MS = 10
/** stdout's and stderr's handles (pipes or TTYs; none for files), always in the loop's list, never pending. */
let stdioHandles = 0
/** An answer not sent yet: it goes with the next request for work, one frame (one wake-up of Nimbus) for both. */
let unsent

/**
 * `fds` is `<from Nimbus>,<to Nimbus>`. Nothing of the pipe is in the event loop: during an
 * invocation the loop may empty, which is how a callback handler's result is sent ('beforeExit').
 * Writes are synchronous (fd 4 is a blocking socket), as process.stdout's are on a pipe, so a line
 * logged just before a crash is not lost.
 */
export function setUp(fds) {
  const [inFd, outFd] = fds.split(',').map(Number)
  from = inFd
  output = outFd
  // Created now (they would be on first use), so that the loop's list holds them from here on.
  for (const stream of [process.stdout, process.stderr]) if (stream._handle !== undefined && stream._handle !== null) stdioHandles++
  // Whatever ends the process (a crash, the handler's own process.exit) sends the held answer first.
  process.on('exit', flushAnswer)
  // A callback handler's answer goes when the loop empties ('beforeExit'). A wait begun from that
  // event must start from a turn of the loop, which keeps it alive: else, once the next invocation
  // ran inside the event, Node would find the loop still empty and exit instead of emitting it again.
  process.on('beforeExit', () => {
    lastTurn = -Infinity
  })
}

/** One console line (already in AWS's format), in order with the answers. */
export function log(line) {
  send(LOG, '', line + '\n')
}

/** Resolves with the next invocation, as GET /next would ({status, headers, body}). */
export function next() {
  if (closed) return Promise.reject(new Error('Runtime API connection closed'))
  const header = unsent?.header ?? {}
  const body = unsent?.body ?? EMPTY
  unsent = undefined
  header.next = true
  sendPost(header, body)
  return new Promise((resolve, reject) => {
    nextWaiter = { resolve, reject }
    // Right here, in this promise chain, while the event loop turned lately (see idle()); else from
    // a turn of it, so that what of the last invocations is ready (expired timers, finished I/O,
    // process.nextTick callbacks, rejections to report as unhandled) runs first.
    if (input === undefined && performance.now() - lastTurn <= TURN_EVERY_MS && idle()) readBlocking()
    else setImmediate(turned)
  })
}

function turned() {
  lastTurn = performance.now()
  waitForInvocation()
}

/**
 * Whether nothing of the function's is in the event loop: no timer, immediate, socket or child
 * process that would keep a plain Node.js process alive (stdout and stderr are written
 * synchronously, never pending). Then the process may block in a read of fd 3 until the next
 * invocation, as AWS freezes an environment between invocations, skipping the loop's turn (an epoll
 * and the phases around it). The loop still turns once every few ms while busy, for what nothing
 * shows: process.nextTick callbacks and rejections to report as unhandled wait for the next turn
 * (AWS runs them after the thaw, in a later invocation too).
 */
function idle() {
  const resources = process.getActiveResourcesInfo()
  if (resources.length > stdioHandles) return false
  for (let i = 0; i < resources.length; i++) if (resources[i] !== 'PipeWrap' && resources[i] !== 'TTYWrap') return false
  return true
}

/** POST to a Runtime API path (`invocation/{id}/response|error`, `init/error`). */
export function post(pathname, body, errorType) {
  flushAnswer()
  const header = { path: pathname }
  if (errorType) header.errorType = errorType
  unsent = { header, body }
  // Init errors end the process at once; invocation answers wait for next() or the exit.
  if (pathname === 'init/error') flushAnswer()
  return Promise.resolve()
}

function flushAnswer() {
  if (unsent === undefined) return
  const { header, body } = unsent
  unsent = undefined
  sendPost(header, body)
}

/** An answer carries the runtime's peak resident memory (getrusage's maxrss, KB), for the REPORT line. */
function sendPost(header, body) {
  header.rss = process.resourceUsage().maxRSS
  send(POST, JSON.stringify(header), body)
}

/** `header` a string, `body` a string or bytes: encoded straight into the frame, one allocation for a small one. */
function send(kind, header, body) {
  const headerBytes = Buffer.byteLength(header)
  const text = typeof body === 'string'
  const bodyBytes = text ? Buffer.byteLength(body) : body.length
  const inline = bodyBytes <= 64 * 1024
  const frame = Buffer.allocUnsafe(PREFIX_BYTES + headerBytes + (inline ? bodyBytes : 0))
  frame[0] = kind
  frame.writeUInt32BE(headerBytes, 1)
  frame.writeUInt32BE(bodyBytes, 5)
  if (headerBytes > 0) frame.write(header, PREFIX_BYTES)
  if (inline && bodyBytes > 0) {
    if (text) frame.write(body, PREFIX_BYTES + headerBytes)
    else frame.set(body, PREFIX_BYTES + headerBytes)
  }
  try {
    writeAll(frame)
    // A big body is not copied into the frame: written as it is (or as its encoding).
    if (!inline) writeAll(text ? Buffer.from(body) : body)
  } catch {
    // Nimbus is gone (EPIPE): the environment is being torn down; its process group goes with it.
    closed = true
  }
}

function writeAll(bytes) {
  for (let at = 0; at < bytes.length;) at += writeSync(output, bytes, at)
}

/**
 * From the event loop: blocks if the function has nothing in it; else fd 3 becomes a socket read
 * through the loop from then on (as before blocking reads), so that the function's timers and I/O
 * go on while the environment waits. (Not a read on libuv's threadpool: a thread blocked in it would
 * hang the process's exit, which joins those threads.)
 */
function waitForInvocation() {
  deliverArrived()
  if (nextWaiter === undefined) return
  if (input !== undefined) input.ref()
  else if (idle()) readBlocking()
  else readAsSocket()
}

/** Blocks in reads of fd 3 until an invocation is whole (a 6 MB event takes several); onRead then hands it over. */
function readBlocking() {
  while (nextWaiter !== undefined) {
    let bytes
    try {
      bytes = readSync(from, readBuffer, 0, readBuffer.length, null)
    } catch (error) {
      // A signal's handler ran (Node installs some without SA_RESTART): read on.
      if (error?.code === 'EINTR') continue
      // Non-blocking after all (not as Nimbus makes it): read as a socket.
      if (error?.code === 'EAGAIN') readAsSocket()
      else gone()
      return
    }
    // End of file: Nimbus is gone (its end closed), so is this environment.
    if (bytes === 0) return gone()
    onRead(bytes)
  }
}

/** fd 3 read through the event loop from now on (non-blocking then), referenced only while waiting for work. */
function readAsSocket() {
  input = new net.Socket({ fd: from, readable: true, writable: false, onread: { buffer: readBuffer, callback: onRead } })
  input.on('end', gone)
  input.on('close', gone)
  input.on('error', gone)
}

function gone() {
  closed = true
  const waiter = nextWaiter
  nextWaiter = undefined
  waiter?.reject(new Error('Runtime API connection closed'))
}

/** One read of fd 3: `readBuffer`'s first `bytes` bytes. */
function onRead(bytes) {
  const chunk = readBuffer.subarray(0, bytes)
  if (frameBytes > 0) {
    parts.push(Buffer.from(chunk))
    partBytes += bytes
    if (partBytes < frameBytes) return
    buffered = Buffer.concat(parts, partBytes)
    parts = []
    frameBytes = 0
  } else {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk])
  }
  parseFrames()
  // A partial frame's head left in readBuffer would be overwritten by the next read.
  if (buffered.length > 0 && buffered.buffer === readBuffer.buffer) buffered = Buffer.from(buffered)
}

function parseFrames() {
  for (;;) {
    if (buffered.length < PREFIX_BYTES) return
    const kind = buffered.readUInt8(0)
    const headerBytes = buffered.readUInt32BE(1)
    const bodyBytes = buffered.readUInt32BE(5)
    const end = PREFIX_BYTES + headerBytes + bodyBytes
    if (buffered.length < end) {
      frameBytes = end
      parts = [buffered.buffer === readBuffer.buffer ? Buffer.from(buffered) : buffered]
      partBytes = buffered.length
      buffered = EMPTY
      return
    }
    if (kind === INVOKE) {
      const headers = JSON.parse(buffered.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerBytes))
      // Decoded now (bootstrap.mjs parses it as text anyway): a view would not outlive this read.
      arrived.push({ status: 200, headers, body: buffered.toString('utf8', PREFIX_BYTES + headerBytes, end) })
    }
    buffered = buffered.length === end ? EMPTY : buffered.subarray(end)
    deliverArrived()
  }
}

function deliverArrived() {
  if (nextWaiter === undefined || arrived.length === 0) return
  const { resolve } = nextWaiter
  nextWaiter = undefined
  // Idle between invocations only: the handler's own work decides when the event loop empties.
  input?.unref()
  resolve(arrived.shift())
}
