// IP literals and CIDR blocks the way Event Ruler reads them: a value is an address only if it
// looks like one (dotted quad, or hex digits and colons), and a CIDR is a byte range.
import { fail } from './errors.ts'

const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.').map(Number)
  if (parts.some((p) => p > 255)) return undefined
  return Uint8Array.from(parts)
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string) => (s === '' ? [] : s.split(':'))
  const head = groups(halves[0]!)
  const tail = halves.length === 2 ? groups(halves[1]!) : []
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail]
  const bytes = new Uint8Array(16)
  for (const [i, group] of all.entries()) {
    if (group.length === 0 || group.length > 4) return undefined
    const n = parseInt(group, 16)
    bytes[i * 2] = n >> 8
    bytes[i * 2 + 1] = n & 0xff
  }
  // Java's InetAddress turns IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) into IPv4 ones.
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12)
  return bytes
}

/** The address bytes (4 or 16) if `text` is an IP literal, else undefined. */
export function ipBytes(text: string): Uint8Array | undefined {
  if (IPV4.test(text)) return parseIpv4(text)
  if (IPV6.test(text)) return parseIpv6(text)
  return undefined
}

export interface IpRange {
  readonly bottom: Uint8Array
  readonly top: Uint8Array
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!
    if (d !== 0) return d
  }
  return 0
}

export function inRange(range: IpRange, text: string): boolean {
  const bytes = ipBytes(text)
  if (bytes === undefined || bytes.length !== range.bottom.length) return false
  return compareBytes(bytes, range.bottom) >= 0 && compareBytes(bytes, range.top) <= 0
}

/** Java's String.split drops trailing empty strings: "10.0.0.0/" has one part, not two. */
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator)
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

/**
 * Event Ruler's CIDR: the range runs from the address as written (not masked down) to the address
 * with its host bits set, so "10.0.0.5/24" covers .5-.255. A full-length mask (/32, /128) is refused.
 */
export function compileCidr(text: string): IpRange {
  const parts = javaSplit(text, '/')
  if (parts.length !== 2) fail("Malformed CIDR, one '/' required")
  const [ip, maskText] = parts as [string, string]
  if (!/^[+-]?[0-9]{1,10}$/.test(maskText) || Math.abs(Number(maskText)) > 2 ** 31 - 1) {
    fail('Malformed CIDR, mask bits must be an integer')
  }
  const mask = Number(maskText)
  if (mask < 0) fail('Malformed CIDR, mask bits must not be negative')
  if (!IPV4.test(ip) && !IPV6.test(ip)) fail(`Nonstandard IP address: ${ip}`)
  const bottom = ipBytes(ip)
  if (bottom === undefined) fail(`Invalid IP address: ${ip}`)
  if (bottom.length === 4 && mask > 31) fail('IPv4 mask bits must be < 32')
  if (bottom.length === 16 && mask > 127) fail('IPv6 mask bits must be < 128')
  const top = bottom.slice()
  let hostBits = bottom.length * 8 - mask
  for (let i = top.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    top[i] = top[i]! | (hostBits >= 8 ? 0xff : (1 << hostBits) - 1)
  }
  return { bottom, top }
}

/** An exact string pattern that is an IP literal matches every spelling of that address. */
export function exactIpRange(text: string): IpRange | undefined {
  const bytes = ipBytes(text)
  return bytes === undefined ? undefined : { bottom: bytes, top: bytes }
}
