// The process side of the pipe Nimbus's Node.js runtime talks over (runtime-pipe.ts is the other
// end): what bootstrap.mjs does over HTTP against the Runtime API, done in framed messages on two
// inherited sockets, fd 3 from Nimbus and fd 4 to it. Plain JavaScript, loaded only in a process
// started with the pipe. Node marked both descriptors close-on-exec as it started, so processes the
// function spawns don't inherit them.
//
// Frame: [u8 kind][u32 header bytes][u32 body bytes][header: JSON][body], big-endian lengths.
import { writeSync } from 'node:fs'
import net from 'node:net'

const LOG = 1
const POST = 2
const INVOKE = 3
const PREFIX_BYTES = 9
const EMPTY = Buffer.alloc(0)
/** What one read of fd 3 fills; a view into it is valid only until the next read. */
const readBuffer = Buffer.allocUnsafeSlow(64 * 1024)

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
/** An answer not sent yet: it goes with the next request for work, one frame (one wake-up of Nimbus) for both. */
let unsent

/**
 * `fds` is `<from Nimbus>,<to Nimbus>`. The reading socket is referenced only while waiting for
 * work: during an invocation the event loop may empty, which is how a callback handler's result is
 * sent ('beforeExit'). Writes are synchronous (fd 4 is a blocking socket), as process.stdout's are
 * on a pipe, so a line logged just before a crash is not lost.
 */
export function setUp(fds) {
  const [from, to] = fds.split(',').map(Number)
  output = to
  // Reads land in one reused buffer (no 64 KB allocation per read): whatever outlives onRead is copied.
  input = new net.Socket({ fd: from, readable: true, writable: false, onread: { buffer: readBuffer, callback: onRead } })
  input.unref()
  const gone = () => {
    closed = true
    const waiter = nextWaiter
    nextWaiter = undefined
    waiter?.reject(new Error('Runtime API connection closed'))
  }
  input.on('end', gone)
  input.on('close', gone)
  input.on('error', gone)
  // Whatever ends the process (a crash, the handler's own process.exit) sends the held answer first.
  process.on('exit', flushAnswer)
}

/** One console line (already in AWS's format), in order with the answers. */
export function log(line) {
  send(LOG, '', line + '\n')
}

/** Resolves with the next invocation, as GET /next would ({status, headers, body}). */
export function next() {
  return new Promise((resolve, reject) => {
    if (closed) return reject(new Error('Runtime API connection closed'))
    nextWaiter = { resolve, reject }
    input.ref()
    const header = unsent?.header ?? {}
    const body = unsent?.body ?? EMPTY
    unsent = undefined
    header.next = true
    sendPost(header, body)
    deliverArrived()
  })
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
  input.unref()
  resolve(arrived.shift())
}
