// Function output as CloudWatch Logs sees it: stdout/stderr split into events on one stream per
// environment, plus the lines the Lambda service writes itself (INIT_START, START, END, REPORT).
import { StringDecoder } from 'node:string_decoder'
import type { Readable } from 'node:stream'
import type { Clock } from '../core/clock.ts'
import type { LogSink, LogTarget } from './types.ts'

/** CloudWatch's event limit is 256 KB including 26 bytes of overhead; longer output is split. */
const MAX_EVENT_CHARS = 256 * 1024 - 26

/** `YYYY/MM/DD/[$LATEST]<32 hex>`, dated by the clock when the environment starts. */
export function logStreamName(now: number, version: string, environmentId: string): string {
  const d = new Date(now)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/[${version}]${environmentId}`
}

/**
 * Calls `onLine` for each line of a byte stream. AWS's runtimes write a multi-line console message
 * as one line with `\r` between its lines so that it stays one event; the event carries `\n`s.
 */
export function captureLines(stream: Readable, onLine: (line: string) => void): void {
  const lines = new LineSplitter(onLine)
  stream.on('data', (chunk: Buffer) => lines.write(chunk))
  stream.on('end', () => lines.end())
  stream.on('error', () => {})
}

/** Output chunks (bytes or text, from a pipe or from messages) → one call per line, as captureLines makes them. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private readonly onLine: (line: string) => void
  private partial = ''

  constructor(onLine: (line: string) => void) {
    this.onLine = onLine
  }

  write(chunk: Buffer | string): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
    let start = 0
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.onLine(eventMessage(text.slice(start, nl)))
      start = nl + 1
    }
    this.partial = text.slice(start)
    while (this.partial.length > MAX_EVENT_CHARS) {
      this.onLine(eventMessage(this.partial.slice(0, MAX_EVENT_CHARS)))
      this.partial = this.partial.slice(MAX_EVENT_CHARS)
    }
  }

  end(): void {
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    if (rest !== '') this.onLine(eventMessage(rest))
  }
}

/** One line a runtime sent as a message rather than through a pipe: the events it makes, as captureLines makes them. */
export function lineEvents(line: string, onLine: (line: string) => void): void {
  let rest = line
  while (rest.length > MAX_EVENT_CHARS) {
    onLine(eventMessage(rest.slice(0, MAX_EVENT_CHARS)))
    rest = rest.slice(MAX_EVENT_CHARS)
  }
  onLine(eventMessage(rest))
}

function eventMessage(line: string): string {
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line
  return trimmed.includes('\r') ? trimmed.replaceAll('\r', '\n') : trimmed
}

/** Characters of an invocation's log kept for `LogType: Tail` (AWS returns the last 4 KB; a char is ≥ 1 byte). */
const TAIL_KEEP_CHARS = 8 * 1024

/** The end of an invocation's log, for `LogType: Tail`: older lines are let go, so a chatty function holds no memory. */
export class LogTail {
  private lines: string[] = []
  private chars = 0

  push(line: string): void {
    this.lines.push(line)
    this.chars += line.length + 1
    while (this.lines.length > 1 && this.chars - this.lines[0]!.length - 1 >= TAIL_KEEP_CHARS) {
      this.chars -= this.lines.shift()!.length + 1
    }
  }

  /** Moves every line of `other` here (init output joining the first invocation's log). */
  takeFrom(other: LogTail): void {
    for (const line of other.lines) this.push(line)
    other.lines = []
    other.chars = 0
  }

  text(): string {
    return this.lines.join('\n') + '\n'
  }
}

/**
 * Real time a line appended lazily (START) may wait for company: a fast invocation's START, output,
 * END and REPORT reach CloudWatch Logs in one batch, a slow one's START still shows within this.
 */
const LAZY_FLUSH_MS = 50

/** Buffers one stream's events and hands them to the sink in batches, as the Lambda agent does. */
export class LogStreamWriter {
  readonly streamName: string
  private readonly sink: LogSink
  private readonly target: LogTarget
  private readonly clock: Clock
  private readonly log: (line: string) => void
  private pending: { timestamp: number; message: string }[] = []
  private scheduled = false
  /** One timer per stream, re-armed (refresh) rather than made anew per lazily appended line. */
  private lazyTimer: NodeJS.Timeout | undefined
  /** The lazy timer is running: a line appended lazily now is flushed when it runs out, if not before. */
  private lazyArmed = false

  constructor(options: { sink: LogSink; target: LogTarget; streamName: string; clock: Clock; log: (line: string) => void }) {
    this.sink = options.sink
    this.target = options.target
    this.streamName = options.streamName
    this.clock = options.clock
    this.log = options.log
  }

  append(message: string): void {
    this.pending.push({ timestamp: this.clock.now(), message })
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.flush())
  }

  /** Appends a line that can wait for the next one (or at most LAZY_FLUSH_MS) to reach the sink. */
  appendLazily(message: string): void {
    this.pending.push({ timestamp: this.clock.now(), message })
    if (this.scheduled || this.lazyArmed) return
    this.lazyArmed = true
    if (this.lazyTimer === undefined) {
      this.lazyTimer = setTimeout(() => {
        this.lazyArmed = false
        this.flush()
      }, LAZY_FLUSH_MS).unref()
    } else this.lazyTimer.refresh()
  }

  /** Appends a line the caller flushes itself, at once (no flush is scheduled for it). */
  add(message: string): void {
    this.pending.push({ timestamp: this.clock.now(), message })
  }

  /** Hands what is pending to the sink. A running lazy timer is left to run out (it then finds nothing, or a later lazy line). */
  flush(): void {
    this.scheduled = false
    if (this.pending.length === 0) return
    const lines = this.pending
    this.pending = []
    try {
      this.sink.write(this.target, this.streamName, lines)
    } catch (error) {
      // The log sink belongs to the Logs service; its failure must not fail the invocation.
      this.log(`log sink failed for ${this.target.logGroup}: ${String(error)}`)
    }
  }
}

export const initStartLine = (runtime: string, region: string): string =>
  `INIT_START Runtime Version: ${runtime}.nimbus\tRuntime Version ARN: arn:aws:lambda:${region}::runtime:nimbus-${runtime}`

export const startLine = (requestId: string, version: string): string => `START RequestId: ${requestId} Version: ${version}`

export const endLine = (requestId: string): string => `END RequestId: ${requestId}`

/** AWS writes this when init fails or times out, before the invoke phase retries or gives up. */
export const initReportLine = (initDurationMs: number, status: 'error' | 'timeout', errorType: string): string =>
  `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}\tError Type: ${errorType}`

export interface Report {
  readonly requestId: string
  readonly durationMs: number
  readonly memoryMb: number
  readonly maxMemoryUsedMb: number
  readonly initDurationMs?: number
  /** Set when the environment failed (crash, timeout, init error), as AWS adds `Status: …` then. */
  readonly status?: { readonly status: 'error' | 'timeout'; readonly errorType?: string }
}

/** AWS's REPORT line; fields are tab-separated and the line ends with a tab, as on AWS. */
export function reportLine(r: Report): string {
  let line = `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${Math.max(1, Math.ceil(r.durationMs))} ms\tMemory Size: ${r.memoryMb} MB\t` +
    `Max Memory Used: ${r.maxMemoryUsedMb} MB\t`
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`
  if (r.status !== undefined) {
    line += `Status: ${r.status.status}\t`
    if (r.status.errorType !== undefined) line += `Error Type: ${r.status.errorType}\t`
  }
  return line
}
