// Non-proxy integrations' payload conversions, as AWS's "Content type conversions" tables lay them out:
// whether a payload is binary (its Content-Type, or the request's first Accept type, matches the
// API's binaryMediaTypes) and the integration's / integration response's `contentHandling`
// (CONVERT_TO_TEXT: binary → base64 text; CONVERT_TO_BINARY: text read as base64 → bytes).
import { binaryType } from './binary.ts'

/** An integration's or integration response's `contentHandling` (CONVERT_TO_TEXT, CONVERT_TO_BINARY or unset). */
export type ContentHandling = string | undefined

/** Text that should be base64 but isn't: AWS answers 500 (an API configuration error). */
export class ConversionError extends Error {}

const base64Text = /^[A-Za-z0-9+/]*={0,2}$/

/** Base64 text → bytes; throws ConversionError when the text isn't base64. */
export function decodeBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, '')
  if (compact.length % 4 === 1 || !base64Text.test(compact)) throw new ConversionError('the payload is not base64-encoded text')
  return Buffer.from(compact, 'base64')
}

export const isBinary = (binaryMediaTypes: readonly string[], contentType: string | undefined): boolean =>
  binaryMediaTypes.length > 0 && binaryType(binaryMediaTypes, contentType)

/**
 * The integration request payload when no template applies (passthrough): binary stays bytes unless
 * CONVERT_TO_TEXT base64-encodes it; text stays text unless CONVERT_TO_BINARY base64-decodes it.
 * `text` is what a Lambda function is sent, `bytes` what an HTTP or AWS service backend is sent.
 */
export function passthroughRequest(raw: Buffer, binary: boolean, handling: ContentHandling): { text: string; bytes?: Buffer } {
  if (binary) return handling === 'CONVERT_TO_TEXT' ? { text: raw.toString('base64') } : { text: raw.toString('utf8'), bytes: raw }
  const text = raw.toString('utf8')
  return handling === 'CONVERT_TO_BINARY' ? { text, bytes: decodeBase64(text) } : { text }
}

/**
 * The method response payload when no template applies. The target form is the contentHandling's, else
 * (with binaryMediaTypes set) binary when the first Accept type is a binary one and text otherwise, else
 * the payload as it is. Binary → text base64-encodes; text → binary base64-decodes.
 */
export function passthroughResponse(payload: Buffer, payloadBinary: boolean, acceptBinary: boolean, binaryTypesSet: boolean,
  handling: ContentHandling): Buffer | string {
  const target = handling === 'CONVERT_TO_BINARY' ? 'binary' : handling === 'CONVERT_TO_TEXT' ? 'text'
    : binaryTypesSet ? (acceptBinary ? 'binary' : 'text') : 'as is'
  if (target === 'as is') return payload
  if (target === 'binary') return payloadBinary ? payload : decodeBase64(payload.toString('utf8'))
  return payloadBinary ? payload.toString('base64') : payload.toString('utf8')
}
