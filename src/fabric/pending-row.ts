// A pending delivery as a stored row and back: plain JSON. Everything in a Pending is data already
// but binary message attributes (SQS/SNS `Binary` values, Uint8Array), which a row carries as base64.
import type { DeadLetter, Delivery, DeliveryAttribute, DeliveryOptions, Pending } from './types.ts'

/** An attribute as stored: a binary value is base64 text. */
interface StoredAttribute {
  DataType: string
  StringValue?: string
  BinaryValue?: string
}

/** The row: the Pending without its process-local `seq` (the row's key), binary values as base64. */
export interface PendingRow {
  dueAt: number
  firstAt: number
  attempts: number
  throttles: number
  delivery: Delivery
}

/**
 * A fresh row for `pending` as it is now (rows are serialised at commit, later in the turn, and a
 * Pending changes as it is attempted). The delivery is shared: deliveries are replaced, never changed.
 */
export function toRow(pending: Pending): PendingRow {
  const { dueAt, firstAt, attempts, throttles, delivery } = pending
  return { dueAt, firstAt, attempts, throttles, delivery: hasBinary(delivery) ? mapAttributes(delivery, encode) : delivery }
}

/** The Pending a row stands for; `seq` orders deliveries due at the same instant (restore renumbers them). */
export function fromRow(row: PendingRow, seq: number): Pending {
  const { dueAt, firstAt, attempts, throttles } = row
  return { seq, dueAt, firstAt, attempts, throttles, delivery: mapAttributes(row.delivery, decode) }
}

function hasBinary(delivery: Delivery): boolean {
  return binaryIn(delivery.options) || binaryIn(delivery.deadLetter?.options)
}

function binaryIn(options: DeliveryOptions | undefined): boolean {
  const attributes = options?.attributes
  if (attributes === undefined) return false
  for (const name in attributes) if (attributes[name]!.BinaryValue !== undefined) return true
  return false
}

type Convert = (a: DeliveryAttribute | StoredAttribute) => DeliveryAttribute | StoredAttribute

function mapAttributes(delivery: Delivery, convert: Convert): Delivery {
  const options = withAttributes(delivery.options, convert)
  const dead = delivery.deadLetter
  const deadLetter: DeadLetter | undefined = dead === undefined ? undefined : { ...dead, options: withAttributes(dead.options, convert) }
  return { ...delivery, options, deadLetter }
}

function withAttributes(options: DeliveryOptions | undefined, convert: Convert): DeliveryOptions | undefined {
  if (options?.attributes === undefined) return options
  const attributes: Record<string, DeliveryAttribute> = {}
  for (const [name, a] of Object.entries(options.attributes)) attributes[name] = convert(a) as DeliveryAttribute
  return { ...options, attributes }
}

const encode: Convert = (a) => a.BinaryValue instanceof Uint8Array
  ? { ...a, BinaryValue: Buffer.from(a.BinaryValue.buffer, a.BinaryValue.byteOffset, a.BinaryValue.byteLength).toString('base64') }
  : a

const decode: Convert = (a) => typeof a.BinaryValue === 'string' ? { ...a, BinaryValue: new Uint8Array(Buffer.from(a.BinaryValue, 'base64')) } : a
