// Receipt handles: opaque to clients, but they name the queue incarnation, the message and the receive.
import { randomBytes } from 'node:crypto'

export interface Receipt {
  queueUid: string
  messageId: string
  receipt: number
}

// AWS's handles start with "AQEB" and are a few hundred characters of base64; ours look alike.
const prefix = 'AQEB'

export function encodeReceipt(r: Receipt): string {
  const nonce = randomBytes(24).toString('base64')
  return prefix + Buffer.from(`${r.queueUid} ${r.messageId} ${r.receipt} ${nonce}`, 'utf8').toString('base64')
}

export function decodeReceipt(handle: string): Receipt | undefined {
  if (!handle.startsWith(prefix)) return undefined
  const text = Buffer.from(handle.slice(prefix.length), 'base64').toString('utf8')
  const [queueUid, messageId, receipt, nonce] = text.split(' ')
  const n = Number(receipt)
  if (!queueUid || !messageId || nonce === undefined || !Number.isInteger(n) || n < 1) return undefined
  return { queueUid, messageId, receipt: n }
}
