// Watching what a Lambda function writes to CloudWatch Logs from a test, and waiting without sleeping:
// lines arrive through the Logs service's internal port (`onAppended`); waits yield to the event loop.
import type { Nimbus } from '../../src/index.ts'

export interface FunctionLog {
  /** Every line written to `/aws/lambda/<name>` since the watch began, in order. */
  readonly lines: string[]
  /** Lines containing `text`. */
  matching(text: string | RegExp): string[]
  /** Resolves with the matching lines once at least `count` lines contain `text`. */
  waitFor(text: string | RegExp, count?: number): Promise<string[]>
  /** The JSON a handler logged as `<tag> <json>` through console.log, in order. */
  tagged<T = any>(tag: string): T[] // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(): void
}

export function watchFunctionLog(nimbus: Nimbus, functionName: string): FunctionLog {
  const lines: string[] = []
  const group = `/aws/lambda/${functionName}`
  const stop = nimbus.services.logs.onAppended((appended) => {
    if (appended.logGroupName === group) lines.push(...appended.events.map((e) => e.message))
  })
  const matches = (line: string, text: string | RegExp) => typeof text === 'string' ? line.includes(text) : text.test(line)
  const matching = (text: string | RegExp) => lines.filter((line) => matches(line, text))
  return {
    lines,
    matching,
    async waitFor(text, count = 1) {
      await until(() => matching(text).length >= count, `${count} log line(s) of ${functionName} matching ${String(text)}`)
      return matching(text)
    },
    tagged(tag) {
      // Node console lines are `<time>\t<request id>\tINFO\t<message>`.
      return matching(`\t${tag} `).map((line) => JSON.parse(line.slice(line.indexOf(`\t${tag} `) + tag.length + 2)))
    },
    stop,
  }
}

/**
 * Yields to the event loop until `condition` holds. Never sleeps; the wall-clock bound only turns a
 * hang into a readable failure.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string, boundMs = 15_000): Promise<void> {
  const deadline = Date.now() + boundMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Lets follow-up work finish (promise chains, the timers a finished invocation schedules). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve))
}
