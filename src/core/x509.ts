// A minimal self-signed X.509 v3 certificate builder (RFC 5280) on node:crypto alone.
// Node can parse and verify certificates but has no API to create one, and Nimbus has no
// dependencies for this, so the few DER encodings a certificate needs are written out here.
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto'

// ---- DER (ITU-T X.690) primitives -----------------------------------------------------------

/** Tag-length-value. Lengths under 128 use the short form, longer ones the long form (DER requires the shortest). */
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length
  let header: Buffer
  if (n < 0x80) {
    header = Buffer.from([tag, n])
  } else {
    const bytes: number[] = []
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff)
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes])
  }
  return Buffer.concat([header, content])
}

const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts))
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts))
/** Context-specific, constructed, explicit tag [n] (used for `version` [0] and `extensions` [3]). */
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner)
const derNull = (): Buffer => Buffer.from([0x05, 0x00])
const octetString = (content: Buffer): Buffer => tlv(0x04, content)
const boolean = (value: boolean): Buffer => Buffer.from([0x01, 0x01, value ? 0xff : 0x00])
/** BIT STRING whose first content octet counts the unused trailing bits. */
const bitString = (content: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]))

/** A non-negative INTEGER from big-endian magnitude bytes: minimal length, and a 0x00 pad when the top bit is set (else it would read as negative). */
function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  let bytes = magnitude.subarray(start)
  if (bytes.length === 0) bytes = Buffer.from([0])
  if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes])
  return tlv(0x02, bytes)
}

/** OBJECT IDENTIFIER: the first two arcs share one byte (40*a+b); every arc is base-128, high bit = "more follows". */
function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new Error(`bad OID ${dotted}`)
  const out: number[] = []
  const values = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]
  for (const value of values) {
    const chunk: number[] = [value & 0x7f]
    for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) chunk.unshift(0x80 | (rest & 0x7f))
    out.push(...chunk)
  }
  return tlv(0x06, Buffer.from(out))
}

/** PrintableString when the value fits its alphabet (what most CAs emit), else UTF8String (RFC 5280 4.1.2.4). */
function directoryString(value: string): Buffer {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? tlv(0x13, Buffer.from(value, 'latin1')) : tlv(0x0c, Buffer.from(value, 'utf8'))
}

/** RFC 5280 4.1.2.5: UTCTime (YYMMDDHHMMSSZ) for years 1950-2049, GeneralizedTime (YYYYMMDDHHMMSSZ) outside it. */
function time(epochMs: number): Buffer {
  const d = new Date(epochMs)
  const year = d.getUTCFullYear()
  if (!Number.isFinite(epochMs) || year < 0 || year > 9999) throw new Error(`certificate time out of range: ${epochMs}`)
  const p2 = (n: number) => String(n).padStart(2, '0')
  const rest = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}Z`
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(p2(year % 100) + rest, 'ascii'))
  return tlv(0x18, Buffer.from(String(year).padStart(4, '0') + rest, 'ascii'))
}

// ---- Certificate ----------------------------------------------------------------------------

const OID = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
}

export interface DistinguishedName {
  commonName: string
  organization?: string
}

export interface SelfSignedOptions {
  /** RSA key pair; the certificate carries the public half and is signed with the private half. */
  publicKey: KeyObject
  privateKey: KeyObject
  subject: DistinguishedName
  /** Validity window in epoch milliseconds (sub-second parts are dropped by the encoding). */
  notBefore: number
  notAfter: number
}

/** Name ::= SEQUENCE OF RDN (a SET of one type/value pair each), most significant first: O then CN. */
function name(dn: DistinguishedName): Buffer {
  const rdns: Buffer[] = []
  if (dn.organization !== undefined) rdns.push(set(sequence(oid(OID.organizationName), directoryString(dn.organization))))
  rdns.push(set(sequence(oid(OID.commonName), directoryString(dn.commonName))))
  return sequence(...rdns)
}

const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value))

/**
 * A self-signed certificate is its own trust anchor, so it is marked as a CA that may sign
 * certificates (otherwise strict validators refuse it as an issuer of itself). The subject key
 * identifier lets tools match it to its key, as with any CA-issued certificate.
 */
function extensions(spki: Buffer): Buffer {
  // SPKI = SEQUENCE { AlgorithmIdentifier, BIT STRING }; method 1 of RFC 5280 4.2.1.2 hashes that BIT STRING's key bits.
  const keyBits = spkiKeyBits(spki)
  const keyId = createHash('sha1').update(keyBits).digest()
  // keyUsage digitalSignature (bit 0) + keyCertSign (bit 5) = 1000 0100, trailing 2 bits unused.
  const keyUsage = bitString(Buffer.from([0x84]), 2)
  return explicit(3, sequence(
    extension(OID.basicConstraints, true, sequence(boolean(true))),
    extension(OID.keyUsage, true, keyUsage),
    extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
  ))
}

/** Reads the subjectPublicKey bits out of a DER SubjectPublicKeyInfo (enough parsing for the one shape Node emits). */
function spkiKeyBits(spki: Buffer): Buffer {
  const skipHeader = (buf: Buffer, at: number): { start: number; end: number } => {
    const first = buf[at + 1]!
    if (first < 0x80) return { start: at + 2, end: at + 2 + first }
    const count = first & 0x7f
    let len = 0
    for (let i = 0; i < count; i++) len = len * 256 + buf[at + 2 + i]!
    return { start: at + 2 + count, end: at + 2 + count + len }
  }
  const outer = skipHeader(spki, 0)
  const algorithm = skipHeader(spki, outer.start)
  const bits = skipHeader(spki, algorithm.end)
  return spki.subarray(bits.start + 1, bits.end) // skip the unused-bits octet
}

/** A random positive serial of 16 bytes (RFC 5280 allows up to 20 octets; CAs use >= 64 random bits). */
function serialNumber(): Buffer {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0]! & 0x7f) | 0x40 // positive, and never shortened by leading zeros
  return unsignedInteger(bytes)
}

export interface Certificate {
  der: Buffer
  pem: string
}

/** Builds and signs (sha256WithRSAEncryption) a self-signed X.509 v3 certificate: issuer = subject. */
export function selfSignedCertificate(options: SelfSignedOptions): Certificate {
  if (options.privateKey.asymmetricKeyType !== 'rsa') throw new Error('only RSA keys are supported')
  if (!(options.notBefore <= options.notAfter)) throw new Error('notBefore must not be after notAfter')
  const spki = options.publicKey.export({ type: 'spki', format: 'der' })
  const algorithm = sequence(oid(OID.sha256WithRSAEncryption), derNull())
  const dn = name(options.subject)
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))), // version: v3 is encoded as 2
    serialNumber(),
    algorithm,
    dn, // issuer
    sequence(time(options.notBefore), time(options.notAfter)),
    dn, // subject
    spki,
    extensions(spki),
  )
  const signature = sign('sha256', tbs, options.privateKey) // PKCS#1 v1.5, which this algorithm OID names
  const der = sequence(tbs, algorithm, bitString(signature))
  return { der, pem: toPem(der) }
}

/** PEM: base64 of the DER in 64-character lines between the CERTIFICATE armour. */
export function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}
