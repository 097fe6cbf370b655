// jq 1.6's streaming form (`tostream`, `fromstream`, `truncate_stream`) and its I/O builtins as they
// behave when the program has exactly one input, as a Firehose record is: `input` has nothing more
// to read, `inputs` is empty, `debug`/`stderr` pass their input on, `halt` stops the program.
import { natives, run, type Closure } from './evaluator.ts'
import { setpath } from './paths.ts'
import { fail, isObj, JqError, truthy, type Json } from './values.ts'

/** `halt`: the program ends now, with the outputs it gave so far (jq.ts catches it). */
export class Halt extends Error {}

/** [path, leaf] for every scalar or empty container, and [path] closing each non-empty container after its last child. */
function* stream(v: Json, path: Json[]): Generator<Json> {
  const keys: Json[] = Array.isArray(v) ? v.map((_, i) => i) : isObj(v) ? Object.keys(v) : []
  if (keys.length === 0) {
    yield [path, v]
    return
  }
  for (const k of keys) yield* stream((v as Record<string | number, Json>)[k as string]!, [...path, k])
  yield [[...path, keys.at(-1)!]]
}

const event = (e: Json): [Json[], Json?] => {
  if (!Array.isArray(e) || !Array.isArray(e[0]) || (e.length !== 1 && e.length !== 2)) return fail('Invalid stream event')
  return e as [Json[], Json?]
}

natives.set('tostream/0', function* (input: Json) { yield* stream(input, []) })
natives.set('fromstream/1', function* (input: Json, [f]: Closure[]) {
  let x: Json = null
  let open = false
  for (const e of run(f!.node, input, f!.env)) {
    const [path, ...rest] = event(e)
    if (rest.length === 1) {
      // A top-level scalar (or empty container) is a whole value by itself.
      if (path.length === 0) { yield rest[0]!; x = null; open = false; continue }
      x = setpath(x, path, rest[0]!)
      open = true
    } else if (path.length === 1 && open) {
      yield x
      x = null
      open = false
    }
  }
})
natives.set('truncate_stream/1', function* (input: Json, [f]: Closure[]) {
  const depth = typeof input === 'number' ? input : fail('truncate_stream needs a depth as its input')
  // jq runs the stream with a null input.
  for (const e of run(f!.node, null, f!.env)) {
    const [path, ...rest] = event(e)
    if (path.length > depth) yield [path.slice(depth), ...rest] as Json
  }
})

natives.set('input/0', function* () { yield fail('No more inputs') })
natives.set('inputs/0', function* () { /* the one input is the program's own */ })
natives.set('debug/0', function* (input: Json) { yield input })
natives.set('stderr/0', function* (input: Json) { yield input })
natives.set('input_filename/0', function* () { yield null })
natives.set('input_line_number/0', function* () { yield 0 })
const halt = (): never => { throw new Halt('halt') }
// halt_error: jq prints the value (a string as it is) and exits non-zero; for a query that is an error.
const haltError = (v: Json): never => { throw new JqError(typeof v === 'string' ? v : JSON.stringify(v), v) }
natives.set('halt/0', function* () { yield halt() })
natives.set('halt_error/0', function* (input: Json) { yield haltError(input) })
natives.set('halt_error/1', function* (input: Json) { yield haltError(input) })

/** `any(gen; cond)` / `all(gen; cond)`, stopping at the first answer as jq's do. */
natives.set('any/2', function* (input: Json, [g, c]: Closure[]) {
  for (const x of run(g!.node, input, g!.env)) for (const y of run(c!.node, x, c!.env)) if (truthy(y)) { yield true; return }
  yield false
})
natives.set('all/2', function* (input: Json, [g, c]: Closure[]) {
  for (const x of run(g!.node, input, g!.env)) for (const y of run(c!.node, x, c!.env)) if (!truthy(y)) { yield false; return }
  yield true
})
