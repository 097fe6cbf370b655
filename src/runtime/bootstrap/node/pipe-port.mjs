// The process side of the pipe Nimbus's Node.js runtime talks over (runtime-pipe.ts is the other
// end): what bootstrap.mjs does over HTTP against the Runtime API, done in framed messages on two
// inherited sockets, fd 3 from Nimbus and fd 4 to it. Plain JavaScript, loaded only in a process
// started with the pipe. Node marked both descriptors close-on-exec as it started, so processes the
// function spawns don't inherit them.
//
// Frame: [u8 kind][u32 header bytes][u32 body bytes][header][body], big-endian lengths; INVOKE and
// POST headers are lines (or JSON), runtime-pipe.ts says how.
import { writeSync } from 'node:fs'
import net from 'node:net'

const LOG = 1
const POST = 2
const INVOKE = 3
const PREFIX_BYTES = 9
const EMPTY = Buffer.alloc(0)
/** What one read of fd 3 fills; a view into it is valid only until the next read. */
const readBuffer = Buffer.allocUnsafeSlow(64 * 1024)
/** Where a small frame is encoded before its one write (writes are synchronous: free again after it). */
const writeBuffer = Buffer.allocUnsafeSlow(64 * 1024)

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
  send(LOG, '', line, true)
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
  // Lines (runtime-pipe.ts): next, maxrss, path, then the errorType, which may hold newlines. JSON should the path.
  const rss = process.resourceUsage().maxRSS
  if (header.path?.includes('\n')) return send(POST, JSON.stringify({ ...header, rss }), body)
  send(POST, `${header.next === true ? '1' : ''}\n${rss}\n${header.path ?? ''}\n${header.errorType ?? ''}`, body)
}

/**
 * `header` a string, `body` a string or bytes. A small frame is encoded straight into `writeBuffer`
 * (no allocation, no separate length count: a string's UTF-8 is at most 3 bytes per code unit), and
 * goes in one write; a big body is written as it is (or as its encoding), not copied into the frame.
 */
function send(kind, header, body, newline = false) {
  const text = typeof body === 'string'
  try {
    if (PREFIX_BYTES + 3 * header.length + (text ? 3 * body.length : body.length) + 1 <= writeBuffer.length) {
      const headerBytes = header.length === 0 ? 0 : writeBuffer.write(header, PREFIX_BYTES)
      let end = PREFIX_BYTES + headerBytes
      if (text) end += body.length === 0 ? 0 : writeBuffer.write(body, end)
      else {
        writeBuffer.set(body, end)
        end += body.length
      }
      if (newline) writeBuffer[end++] = 10
      writeBuffer[0] = kind
      writeBuffer.writeUInt32BE(headerBytes, 1)
      writeBuffer.writeUInt32BE(end - PREFIX_BYTES - headerBytes, 5)
      writeAll(writeBuffer, end)
      return
    }
    if (newline) body += '\n'
    const bytes = text ? Buffer.from(body) : body
    const headerBytes = Buffer.byteLength(header)
    const frame = Buffer.allocUnsafe(PREFIX_BYTES + headerBytes)
    frame[0] = kind
    frame.writeUInt32BE(headerBytes, 1)
    frame.writeUInt32BE(bytes.length, 5)
    if (headerBytes > 0) frame.write(header, PREFIX_BYTES)
    writeAll(frame, frame.length)
    writeAll(bytes, bytes.length)
  } catch {
    // Nimbus is gone (EPIPE): the environment is being torn down; its process group goes with it.
    closed = true
  }
}

function writeAll(bytes, length) {
  for (let at = 0; at < length;) at += writeSync(output, bytes, at, length - at)
}

/** One read of fd 3: `readBuffer`'s first `bytes` bytes. */
function onRead(bytes) {
  // The usual case: one whole frame in this read, nothing before it. Read in place.
  if (frameBytes === 0 && buffered.length === 0 && bytes >= PREFIX_BYTES) {
    const headerBytes = readBuffer.readUInt32BE(1)
    if (PREFIX_BYTES + headerBytes + readBuffer.readUInt32BE(5) === bytes) {
      if (readBuffer[0] === INVOKE) arrive(readBuffer, headerBytes, bytes)
      return deliverArrived()
    }
  }
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
    if (kind === INVOKE) arrive(buffered, headerBytes, end)
    buffered = buffered.length === end ? EMPTY : buffered.subarray(end)
    deliverArrived()
  }
}

/** An INVOKE frame, `bytes[0, end)`. Decoded now (bootstrap.mjs parses it as text anyway): a view would not outlive this read. */
function arrive(bytes, headerBytes, end) {
  const text = bytes.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerBytes)
  const headers = text.charCodeAt(0) === 123 ? JSON.parse(text) : headerLines(text)
  arrived.push({ status: 200, headers, body: bytes.toString('utf8', PREFIX_BYTES + headerBytes, end) })
}

/** `request id\ndeadline\nARN\ntrace id[\nclient context]` as the Runtime API's (lower-case) headers. */
function headerLines(text) {
  const a = text.indexOf('\n')
  const b = text.indexOf('\n', a + 1)
  const c = text.indexOf('\n', b + 1)
  const d = text.indexOf('\n', c + 1)
  const headers = {
    'lambda-runtime-aws-request-id': text.slice(0, a),
    'lambda-runtime-deadline-ms': text.slice(a + 1, b),
    'lambda-runtime-invoked-function-arn': text.slice(b + 1, c),
    'lambda-runtime-trace-id': d < 0 ? text.slice(c + 1) : text.slice(c + 1, d),
  }
  if (d >= 0) headers['lambda-runtime-client-context'] = text.slice(d + 1)
  return headers
}

function deliverArrived() {
  if (nextWaiter === undefined || arrived.length === 0) return
  const { resolve } = nextWaiter
  nextWaiter = undefined
  // Idle between invocations only: the handler's own work decides when the event loop empties.
  input.unref()
  resolve(arrived.shift())
}
