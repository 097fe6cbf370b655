// IPv4 CIDR blocks as numbers: parsing, containment, overlap and the addresses AWS reserves in a subnet.

export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number
  prefix: number
  size: number
}

/** Undefined unless dotted-quad `a.b.c.d` (each part 1–3 digits, ≤ 255). A hand-rolled parse: EC2 runs it per address in use at every launch. */
export function ipToNumber(ip: string): number | undefined {
  let n = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let k = 0; k < ip.length; k++) {
    const c = ip.charCodeAt(k)
    if (c === 46) { // '.'
      if (digits === 0 || dots === 3) return undefined
      n = n * 256 + part
      part = 0
      digits = 0
      dots++
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48)
      digits++
      if (part > 255) return undefined
    } else {
      return undefined
    }
  }
  if (digits === 0 || dots !== 3) return undefined
  return n * 256 + part
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
