// Coral's JSON front end (Kinesis, Firehose) words a member of the wrong JSON type its own way
// (SerializationException, recorded from Kinesis): every JSON number is a TruncatingBigNumber to it,
// a list or an object where a scalar belongs is a parse error, "an String"/"an Long" and all.
// Opt-in per service (`coralTypeErrors`).
import { protocolErrors } from './errors.ts'

const TRUNCATING = 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber'
const LIST_FOUND = 'Start of list found where not expected'
const MAP_FOUND = 'Start of structure or map found where not expected.'
const article: Record<string, string> = { blob: 'a Blob', string: 'an String', integer: 'an Integer', long: 'an Long', boolean: 'an Boolean' }

/**
 * Coral's SerializationException for `value` sent where the model has a `type` member, or undefined
 * where its wording isn't known (a double for an integer, a timestamp…): the caller's own then.
 * CBOR values are judged by the JSON value they stand for (a bigint is a number) [R: CBOR wording].
 */
export function coralTypeError(type: string, value: unknown): ReturnType<typeof protocolErrors.serialization> | undefined {
  const kind = Array.isArray(value) ? 'list' : typeof value === 'bigint' ? 'number'
    : typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype ? 'map' : typeof value
  const fail = (message: string) => protocolErrors.serialization(message)
  if (type === 'list') return kind === 'map' ? fail(MAP_FOUND) : kind === 'list' ? undefined : fail('Expected list or null')
  if (kind === 'list') return fail(LIST_FOUND)
  if (type === 'map') return kind === 'map' ? undefined : fail('Expected map or null')
  if (type === 'structure') return kind === 'map' ? undefined : fail('Expected null')
  const target = article[type]
  if (target === undefined) return undefined
  if (kind === 'map') return fail(MAP_FOUND)
  if (kind === 'boolean') return fail(`class java.lang.Boolean can not be converted to ${target}`)
  if (kind === 'number') {
    // Coral reads a fractional number into a boolean without complaint (recorded); ours stays a type error.
    if (type === 'integer' || type === 'long' || (type === 'boolean' && !Number.isInteger(Number(value)))) return undefined
    return fail(`${TRUNCATING} can not be converted to ${target}`)
  }
  if (kind === 'string') {
    if (type === 'integer' || type === 'long') return fail(`class java.lang.String can not be converted to ${target}`)
    if (type === 'boolean') return fail(`'${value as string}' can not be converted to ${target}`)
  }
  return undefined
}
