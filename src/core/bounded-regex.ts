// Regular expressions that users supply, run with a time bound. JavaScript's engine backtracks: a
// pattern like `(a+)+b`, `(a|a)*\1` or even `a*b` on a long text can take seconds to hours, and
// Nimbus serves every client from one thread. So the match runs on a worker thread while the main
// thread waits for it (Atomics.wait, synchronously: callers stay synchronous) at most the bound; past
// it the worker is terminated (V8 stops a regex mid-match), the caller gets RegexTimeout, and the
// next call starts a fresh worker.
//
// Why a worker and no fast path (paired runs on Node 24, 2 shared cores, load ~2.5): a warm worker
// costs ~10 µs a call (median; in-thread 0.7 µs), about the floor of a futex ping-pong between two
// threads here; a `vm` script with a timeout, the other way to stop a match, costs ~110 µs, as it
// starts a watchdog thread each time. No cheap test proves a pattern safe: `a*b` on 256 KiB of "a"
// backtracks for 18 s, even with V8's --enable-experimental-regexp-engine-on-excessive-backtracks
// (each start position stays under its backtrack limit), and that fallback never applies to the 'u',
// 'i' or 'd' flags, backreferences or large counted repeats.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'

/** One match as RegExp.exec gives it: the captures (0 = the whole match), their spans, named groups. */
export interface BoundedMatch {
  index: number
  /** [0] is the whole match; undefined for a group that took no part. */
  captures: Array<string | undefined>
  /** With the 'd' flag, the UTF-16 spans of the captures (undefined for a group that took no part); else []. */
  spans: Array<[number, number] | undefined>
  named: Record<string, string | undefined> | undefined
}

/** The match ran past its bound (or the engine gave up on it, e.g. its backtrack stack overflowed). */
export class RegexTimeout extends Error {
  readonly budgetMs: number
  constructor(budgetMs: number, why?: string) {
    super(why ?? `the regular expression ran longer than ${budgetMs} ms`)
    this.budgetMs = budgetMs
  }
}

let defaultBudgetMs = 1000
/** The bound when a call names none: 1 s unless changed (NimbusOptions.regexBudgetMs, tests). */
export function setRegexBudget(ms: number): void {
  if (!(ms > 0)) throw new RangeError(`regex budget must be positive, got ${ms}`)
  defaultBudgetMs = ms
}
export const regexBudget = (): number => defaultBudgetMs

// The bound is per match, and one request can run many (an array of strings against a model
// `pattern`, a log group's events against a filter): matches past their bound within one turn of
// the event loop count, and once they reach `stallBudgets` bounds, the turn's further matches fail
// at once. The count restarts when the event loop turns (setImmediate), so Nimbus is held at most
// about that long without serving anyone, however many matches a request makes.
const stallBudgets = 3
let stalledMs = 0
let stallReset: NodeJS.Immediate | undefined
function stalled(budgetMs: number): void {
  stalledMs += budgetMs
  stallReset ??= setImmediate(() => {
    stalledMs = 0
    stallReset = undefined
  }).unref()
}

// The worker's fixed code: it compiles the pattern (cached) and runs it; the pattern and text are data.
// It runs as a script or as a module (a process started with --input-type=module evaluates it as
// one), so it takes node:worker_threads without require.
const workerCode = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads')
const ctl = new Int32Array(workerData.control)
const out = workerData.results
const cache = new Map()
Atomics.store(ctl, 1, 1)
Atomics.notify(ctl, 1)
parentPort.on('message', (job) => {
  let reply
  try {
    const key = job.flags + '/' + job.source
    let rx = cache.get(key)
    if (rx === undefined) {
      rx = new RegExp(job.source, job.flags)
      if (cache.size > 500) cache.clear()
      cache.set(key, rx)
    }
    const found = []
    rx.lastIndex = 0
    for (let m = rx.exec(job.text); m !== null; m = rx.global ? rx.exec(job.text) : null) {
      found.push({ index: m.index, captures: [...m], spans: m.indices ? [...m.indices] : [], named: m.groups })
      if (!job.all || found.length >= job.limit) break
      if (m[0] === '') rx.lastIndex = advance(job.text, rx.lastIndex, rx.unicode || rx.unicodeSets)
    }
    rx.lastIndex = 0
    reply = { found }
  } catch (e) {
    reply = { error: String(e && e.message || e) }
  }
  out.postMessage(reply)
  Atomics.store(ctl, 0, 1)
  Atomics.notify(ctl, 0)
})
function advance(s, i, unicode) {
  if (!unicode || i + 1 >= s.length) return i + 1
  const c = s.charCodeAt(i)
  return c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? i + 2 : i + 1
}
`

/** The worker's old-generation heap at most, MiB. */
const WORKER_HEAP_MB = 128

interface Runner { worker: Worker; control: Int32Array; results: MessagePort }
let runner: Runner | undefined

function start(): Runner {
  const control = new Int32Array(new SharedArrayBuffer(8))
  const channel = new MessageChannel()
  // Its heap is capped: a global match over a long text can build hundreds of MiB of results within the
  // bound (measured ~500 MiB in a second for every "x" of 1 M characters); past the cap the worker dies
  // (ERR_WORKER_OUT_OF_MEMORY) and the caller's wait ends in RegexTimeout, as for a match too slow.
  const worker = new Worker(workerCode, { eval: true, workerData: { control: control.buffer, results: channel.port2 }, transferList: [channel.port2],
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } })
  worker.unref()
  channel.port1.unref()
  // A worker that dies (out of memory) is replaced at the next call.
  worker.on('error', () => { if (runner?.worker === worker) runner = undefined })
  worker.on('exit', () => { if (runner?.worker === worker) runner = undefined })
  return { worker, control, results: channel.port1 }
}

/** Starting a worker is not the pattern's time: it gets this long, apart from the bound. */
const startupMs = 30_000

/**
 * All matches of `source` (with `flags`; 'g' makes it every match, else the first) in `text`, as
 * String.prototype.matchAll would give them, at most `limit`. Throws RegexTimeout past `budgetMs`,
 * and SyntaxError when the pattern doesn't compile (callers usually compile it first to word that error).
 */
export function boundedMatches(source: string, flags: string, text: string, options: { budgetMs?: number; limit?: number } = {}): BoundedMatch[] {
  const budgetMs = options.budgetMs ?? defaultBudgetMs
  if (stalledMs >= stallBudgets * defaultBudgetMs) {
    throw new RegexTimeout(budgetMs, `regular expressions already ran past their bound for ${stalledMs} ms without Nimbus serving anyone else`)
  }
  const current = runner ??= start()
  if (Atomics.load(current.control, 1) === 0 && Atomics.wait(current.control, 1, 0, startupMs) === 'timed-out') {
    void current.worker.terminate()
    runner = undefined
    stalled(startupMs)
    // Callers answer it as a match past its bound, in their service's terms, not as a crash.
    throw new RegexTimeout(budgetMs, 'the regular expression worker did not start')
  }
  Atomics.store(current.control, 0, 0)
  current.worker.postMessage({ source, flags, text, all: flags.includes('g'), limit: options.limit ?? Infinity })
  if (Atomics.wait(current.control, 0, 0, budgetMs) === 'timed-out') {
    void current.worker.terminate()
    runner = undefined
    stalled(budgetMs)
    throw new RegexTimeout(budgetMs)
  }
  let reply = receiveMessageOnPort(current.results)?.message as { found?: BoundedMatch[]; error?: string } | undefined
  // The worker posts before it signals, so the reply is there; a few short looks in case it is still in flight.
  for (let look = 0; reply === undefined && look < 100; look++) {
    Atomics.wait(current.control, 1, 1, 1)
    reply = receiveMessageOnPort(current.results)?.message as typeof reply
  }
  if (reply?.found !== undefined) return reply.found
  if (reply === undefined) {
    // A reply that comes later would answer the next call's question: this worker is not asked again.
    void current.worker.terminate()
    runner = undefined
  }
  const error = reply?.error ?? 'no answer from the regular expression worker'
  // A pattern that doesn't compile is the caller's SyntaxError; an engine failure mid-match (backtrack stack) is a timeout's kin.
  if (error.startsWith('Invalid regular expression')) throw new SyntaxError(error)
  throw new RegexTimeout(budgetMs, `the regular expression failed: ${error}`)
}

/** RegExp.test, bounded: whether `source` matches somewhere in `text`. */
export function boundedTest(source: string, flags: string, text: string, budgetMs?: number): boolean {
  return boundedMatches(source, flags.replace('g', ''), text, { budgetMs, limit: 1 }).length > 0
}
