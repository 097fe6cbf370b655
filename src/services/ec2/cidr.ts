// IPv4 CIDR blocks as numbers: parsing, containment, overlap and the addresses AWS reserves in a subnet.

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number
  prefix: number
  size: number
}

export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.')
  if (parts.length !== 4) return undefined
  let n = 0
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined
    const v = Number(part)
    if (v > 255) return undefined
    n = n * 256 + v
  }
  return n
}

export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** Undefined when not `a.b.c.d/n`; host bits set are masked off ("10.0.0.1/16" is 10.0.0.0/16, as AWS stores it). */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text)
  if (match === null) return undefined
  const ip = ipToNumber(match[1]!)
  const prefix = Number(match[2])
  if (ip === undefined || prefix > 32) return undefined
  const size = 2 ** (32 - prefix)
  return { base: ip - (ip % size), prefix, size }
}

export const formatCidr = (c: Cidr): string => `${numberToIp(c.base)}/${c.prefix}`

export const cidrContains = (outer: Cidr, inner: Cidr): boolean =>
  inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size

export const cidrsOverlap = (a: Cidr, b: Cidr): boolean => a.base < b.base + b.size && b.base < a.base + a.size

/** AWS reserves the first four addresses and the last one of every subnet. */
export const usableAddresses = (c: Cidr): number => Math.max(0, c.size - 5)
