// Coral's JSON front end (Kinesis, Firehose) reads a blob's base64 strictly: a string that is not
// canonical base64 is a SerializationException, raised while the body is read — before the model's
// constraints or any resource are looked at. The messages are AWS's (recorded answers of Kinesis:
// "'Foo' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but
// found: 3"), "dectected" included.
import { protocolErrors } from './errors.ts'

const alphabet = /[^A-Za-z0-9+/=]|=[^=]/

/** Throws AWS's SerializationException unless `text` is canonical, padded base64. */
export function checkStrictBase64(text: string): void {
  const fail = (why: string) => protocolErrors.serialization(`'${text}' can not be converted to a Blob: ${why}`)
  if (text.length % 4 !== 0) throw fail(`Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`)
  const bad = alphabet.exec(text)
  if (bad !== null) throw fail(`Invalid Base64 character: '${bad[0][0]}'`)
  // The bits a padded group leaves unused must be zero (what re-encoding the decoded bytes gives back).
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  if (pad === 0 || text.length < 4) return
  const last = sextet(text.charCodeAt(text.length - pad - 1))
  if ((pad === 2 && (last & 0x0f) !== 0) || (pad === 1 && (last & 0x03) !== 0)) throw fail('Invalid last non-pad Base64 character dectected')
}

function sextet(c: number): number {
  if (c >= 65 && c <= 90) return c - 65
  if (c >= 97 && c <= 122) return c - 71
  if (c >= 48 && c <= 57) return c + 4
  return c === 43 ? 62 : 63
}
