// Validation of what a sender supplies: body characters, message attributes, FIFO ids.
import { sqsErrors } from './errors.ts'
import { limits } from './limits.ts'
import type { Attributes, SystemAttributes } from './message.ts'

// XML 1.0 characters: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (lone surrogates fail).
const invalidChars = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

export function validateBody(body: string): void {
  if (body.length === 0) throw sqsErrors.missingParameter('MessageBody')
  if (invalidChars.test(body)) throw sqsErrors.invalidMessageContents()
}

const attributeName = /^[A-Za-z0-9_.-]+$/

export function validateAttributes(attributes: Attributes | undefined): void {
  if (attributes === undefined) return
  const names = Object.keys(attributes)
  if (names.length > limits.maxMessageAttributes) {
    throw sqsErrors.invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${limits.maxMessageAttributes}].`)
  }
  for (const name of names) {
    validateAttributeName(name)
    validateAttributeValue(name, attributes[name]!, 'user')
  }
}

function validateAttributeName(name: string): void {
  const lower = name.toLowerCase()
  const reserved = lower.startsWith('aws.') || lower.startsWith('amazon.')
  if (name.length > 256 || !attributeName.test(name) || name.startsWith('.') || name.endsWith('.') ||
    name.includes('..') || reserved) {
    throw sqsErrors.invalidParameterValue(reserved
      ? `Message (user) attribute name '${name}' is reserved for use by SQS.`
      : `Message (user) attribute name '${name}' is invalid. Attribute names can contain only alphanumeric characters, ` +
        'hyphens (-), underscores (_), and periods (.), must not start or end with a period, and must not contain ' +
        'successive periods. They can be up to 256 characters long.')
  }
}

function validateAttributeValue(name: string, value: Attributes[string], kind: 'user' | 'system'): void {
  const type = value.DataType
  const base = type.split('.', 1)[0]
  if (type.length > 256 || (base !== 'String' && base !== 'Number' && base !== 'Binary')) {
    throw sqsErrors.invalidParameterValue(`The type of message (${kind}) attribute '${name}' is invalid. ` +
      'You must use only the following supported type prefixes: Binary, Number, String.')
  }
  if (value.StringListValues !== undefined || value.BinaryListValues !== undefined) {
    throw sqsErrors.invalidParameterValue(`Message (${kind}) attribute '${name}': list values are not supported.`)
  }
  if (base === 'Binary') {
    if (value.BinaryValue === undefined || value.BinaryValue.length === 0) throw emptyValue(name, kind, 'Binary')
    return
  }
  const text = value.StringValue
  if (text === undefined || text === '') throw emptyValue(name, kind, base)
  if (invalidChars.test(text)) throw sqsErrors.invalidMessageContents()
  if (base === 'Number' && !isSqsNumber(text)) {
    throw sqsErrors.invalidParameterValue(`Can't cast the value of message (${kind}) attribute '${name}' to a number.`)
  }
}

function emptyValue(name: string, kind: string, type: string) {
  return sqsErrors.invalidParameterValue(`Message (${kind}) attribute '${name}' must contain a non-empty value of type '${type}'.`)
}

/** Up to 38 significant digits, between -10^128 and 10^126. */
function isSqsNumber(text: string): boolean {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) return false
  const digits = text.replace(/[eE].*$/, '').replace(/[^0-9]/g, '').replace(/^0+/, '').replace(/0+$/, '')
  const n = Number(text)
  return digits.length <= 38 && Number.isFinite(n) && n >= -1e128 && n <= 1e126
}

export function validateSystemAttributes(attributes: SystemAttributes | undefined): void {
  if (attributes === undefined) return
  for (const [name, value] of Object.entries(attributes)) {
    if (name !== 'AWSTraceHeader') {
      throw sqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`)
    }
    if (value.DataType !== 'String') {
      throw sqsErrors.invalidParameterValue(`The message system attribute '${name}' must be of type 'String'.`)
    }
    validateAttributeValue(name, value, 'system')
  }
}

const fifoId = /^[\x21-\x7E]{1,128}$/ // alphanumerics and punctuation, no spaces

export function validateFifoId(parameter: string, value: string | undefined): void {
  if (value === undefined) return
  if (!fifoId.test(value)) {
    throw sqsErrors.invalidParameter(parameter, value,
      `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`)
  }
}
