// Real SNS message signatures (aws-behaviour.md §3.4), so subscribers that verify messages the way
// AWS documents (download SigningCertURL, check it, verify Signature with its public key) accept
// Nimbus's messages. Nimbus signs with its own self-signed key: the signatures are genuine, the
// certificate is not Amazon's, so validators that also pin the certificate's host or issuer must be
// told to trust Nimbus's.
import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { selfSignedCertificate } from '../../core/x509.ts'

export type SignedType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'
export type SignatureVersion = '1' | '2'

/** The fields that go into the string to sign, in AWS's order, per message Type. Optional ones are marked. */
const FIELDS: Record<SignedType, readonly { name: string; optional?: boolean }[]> = {
  Notification: [
    { name: 'Message' },
    { name: 'MessageId' },
    { name: 'Subject', optional: true },
    { name: 'Timestamp' },
    { name: 'TopicArn' },
    { name: 'Type' },
  ],
  SubscriptionConfirmation: confirmationFields(),
  UnsubscribeConfirmation: confirmationFields(),
}

function confirmationFields(): { name: string }[] {
  return ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'].map((name) => ({ name }))
}

export function isSignedType(type: unknown): type is SignedType {
  return type === 'Notification' || type === 'SubscriptionConfirmation' || type === 'UnsubscribeConfirmation'
}

/**
 * AWS's canonical string: `name\nvalue\n` for each field in order. A missing optional field
 * (Subject) is left out entirely, name included, exactly as validators rebuild it from the JSON;
 * null counts as missing because the Lambda event carries `"Subject": null` when there is none.
 * A missing required field is a bug in the caller, so it throws rather than sign something no
 * validator could reproduce.
 */
export function stringToSign(fields: Record<string, string | null | undefined>): string {
  const type = fields.Type
  if (!isSignedType(type)) throw new Error(`SNS does not sign messages of Type ${String(type)}`)
  let out = ''
  for (const field of FIELDS[type]) {
    const value = fields[field.name]
    if (value === undefined || value === null) {
      if (field.optional) continue
      throw new Error(`cannot sign ${type}: ${field.name} is missing`)
    }
    out += `${field.name}\n${value}\n`
  }
  return out
}

/** SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA (both PKCS#1 v1.5). */
export function signatureDigest(version: SignatureVersion): 'sha1' | 'sha256' {
  if (version === '1') return 'sha1'
  if (version === '2') return 'sha256'
  throw new Error(`unknown SignatureVersion ${String(version)}`)
}

export interface KeyPair {
  publicKey: KeyObject
  privateKey: KeyObject
}

export interface SnsSignerOptions {
  /** Makes the RSA key pair; injectable so tests can count calls. Defaults to RSA 2048, as AWS uses. */
  generateKeyPair?: () => KeyPair
  /** Certificate subject common name. */
  commonName?: string
  /**
   * The identity a previous run made (data dir): reused, so SigningCertURL in messages stored
   * before a restart (in SQS queues, say) still serves the certificate that verifies them.
   */
  stored?: StoredIdentity
  /** Called once when a new identity is made, to store it. */
  created?: (identity: StoredIdentity) => void
}

export interface StoredIdentity {
  privateKeyPem: string
  certificatePem: string
}

interface Material {
  privateKey: KeyObject
  pem: string
  fileName: string
}

/** Long-lived, like AWS's signing certificates, so a running emulator never sees it expire. */
const VALIDITY_YEARS = 10
/** Backdating notBefore a day, as CAs do, tolerates validators whose clock runs a little behind ours. */
const BACKDATE_MS = 24 * 3600 * 1000

function addUtcYears(epochMs: number, years: number): number {
  const d = new Date(epochMs)
  d.setUTCFullYear(d.getUTCFullYear() + years)
  return d.getTime()
}

const defaultKeyPair = (): KeyPair => generateKeyPairSync('rsa', { modulusLength: 2048 })

/**
 * One signing identity (key pair + certificate) per emulator. Nothing is generated until the first
 * call that needs it: RSA key generation takes ~100 ms, and start-up must stay fast for users who
 * never subscribe an endpoint that checks signatures. Synchronous so that envelope building stays
 * synchronous; the one-off cost lands on the first signed message.
 */
export class SnsSigner {
  private readonly now: () => number
  private readonly generateKeyPair: () => KeyPair
  private readonly commonName: string
  private material: Material | undefined
  private readonly created: ((identity: StoredIdentity) => void) | undefined

  constructor(now: () => number, options: SnsSignerOptions = {}) {
    this.now = now
    this.generateKeyPair = options.generateKeyPair ?? defaultKeyPair
    this.commonName = options.commonName ?? 'sns.amazonaws.com'
    this.created = options.created
    if (options.stored !== undefined) {
      const { privateKeyPem, certificatePem } = options.stored
      const der = Buffer.from(certificatePem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
      this.material = { privateKey: createPrivateKey(privateKeyPem), pem: certificatePem, fileName: fileNameOf(der) }
    }
  }

  /** The certificate, PEM-encoded: what to serve at SigningCertURL. */
  certificatePem(): string {
    return this.load().pem
  }

  /**
   * AWS's file name shape, `SimpleNotificationService-<32 hex>.pem`. The hex is the MD5 of the
   * certificate's DER, so a different certificate (say, after a restart) gets a different URL and no
   * validator serves a stale cached copy.
   */
  certificateFileName(): string {
    return this.load().fileName
  }

  /** The base64 Signature for a message's fields (which must include Type). */
  sign(fields: Record<string, string | null | undefined>, version: SignatureVersion): string {
    const digest = signatureDigest(version)
    const data = Buffer.from(stringToSign(fields), 'utf8')
    return sign(digest, data, this.load().privateKey).toString('base64')
  }

  private load(): Material {
    if (this.material !== undefined) return this.material
    const { publicKey, privateKey } = this.generateKeyPair()
    const now = this.now()
    const cert = selfSignedCertificate({
      publicKey,
      privateKey,
      subject: { commonName: this.commonName, organization: 'Nimbus' },
      notBefore: now - BACKDATE_MS,
      notAfter: addUtcYears(now, VALIDITY_YEARS),
    })
    this.material = { privateKey, pem: cert.pem, fileName: fileNameOf(cert.der) }
    this.created?.({ privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certificatePem: cert.pem })
    return this.material
  }
}

function fileNameOf(der: Uint8Array): string {
  return `SimpleNotificationService-${createHash('md5').update(der).digest('hex')}.pem`
}
