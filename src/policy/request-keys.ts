// The global condition keys any request carries, whichever service evaluates the policy: the time
// on Nimbus's clock (`aws:CurrentTime`, `aws:EpochTime`), `aws:SecureTransport`, and from the HTTP
// request the client's address (`aws:SourceIp`: the socket's, an IPv4-mapped IPv6 address as IPv4,
// never X-Forwarded-For), `aws:UserAgent` and `aws:Referer`. Services add their own keys.

/** What the keys are read from (the protocol's HttpRequest fits). */
export interface RequestLike {
  readonly remoteAddress?: string
  readonly headers: Readonly<Record<string, string | undefined>>
}

/** `request` absent (a call made in process): the time and transport keys only. */
export function requestKeys(request: RequestLike | undefined, now: number, secureTransport: boolean): Record<string, string> {
  const out: Record<string, string> = {
    'aws:CurrentTime': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now / 1000)),
    'aws:SecureTransport': String(secureTransport),
  }
  const ip = request?.remoteAddress?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1')
  if (ip !== undefined) out['aws:SourceIp'] = ip
  const agent = request?.headers['user-agent']
  if (agent !== undefined) out['aws:UserAgent'] = agent
  const referer = request?.headers['referer']
  if (referer !== undefined) out['aws:Referer'] = referer
  return out
}
