// Key pair material as AWS makes and reads it: RSA 2048 (PKCS#1 PEM) or ED25519 (OpenSSH private key
// format), OpenSSH public keys, and the fingerprints AWS shows (KeyPairInfo.KeyFingerprint).
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'

export interface Material {
  keyType: 'rsa' | 'ed25519'
  /** The private key as CreateKeyPair answers it (KeyMaterial). */
  privatePem: string
  /** "ssh-rsa AAAA…" / "ssh-ed25519 AAAA…". */
  publicKey: string
  fingerprint: string
}

const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b }
const sshString = (b: Buffer | string) => { const buf = Buffer.isBuffer(b) ? b : Buffer.from(b); return Buffer.concat([u32(buf.length), buf]) }
/** An SSH mpint: big-endian, a leading zero byte when the top bit is set. */
const mpint = (b: Buffer) => sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b)
const colons = (hex: string) => hex.match(/../g)!.join(':')

function rsaBlob(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' })
  return Buffer.concat([sshString('ssh-rsa'), mpint(Buffer.from(jwk.e!, 'base64url')), mpint(Buffer.from(jwk.n!, 'base64url'))])
}

const ed25519Raw = (key: KeyObject): Buffer => Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url')
const ed25519Blob = (raw: Buffer) => Buffer.concat([sshString('ssh-ed25519'), sshString(raw)])
/** ED25519: base64 SHA-256 of the public key blob, as OpenSSH ≥ 6.8 prints it (AWS keeps the '=' padding [R]). */
const sha256Fingerprint = (blob: Buffer) => createHash('sha256').update(blob).digest('base64')

/** OpenSSH's "openssh-key-v1" private key file, unencrypted, as AWS hands out ED25519 keys. */
function opensshPrivate(publicRaw: Buffer, seed: Buffer, comment: string): string {
  const pub = ed25519Blob(publicRaw)
  const check = randomBytes(4)
  let secret = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(publicRaw),
    sshString(Buffer.concat([seed, publicRaw])), sshString(comment)])
  const pad: number[] = []
  for (let i = 1; (secret.length + pad.length) % 8 !== 0; i++) pad.push(i)
  secret = Buffer.concat([secret, Buffer.from(pad)])
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), u32(1), sshString(pub), sshString(secret)])
  const lines = body.toString('base64').match(/.{1,70}/g)!.join('\n')
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----`
}

/** A new key pair as CreateKeyPair makes it. RSA: SHA-1 of the DER (PKCS#8) private key, colon-separated hex. */
export function createMaterial(keyType: 'rsa' | 'ed25519'): Material {
  if (keyType === 'rsa') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' })
    return {
      keyType, privatePem: (privateKey.export({ format: 'pem', type: 'pkcs1' }) as string).trimEnd(),
      publicKey: `ssh-rsa ${rsaBlob(publicKey).toString('base64')}`,
      fingerprint: colons(createHash('sha1').update(pkcs8).digest('hex')),
    }
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const raw = ed25519Raw(publicKey)
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url')
  return {
    keyType, privatePem: opensshPrivate(raw, seed, ''), publicKey: `ssh-ed25519 ${ed25519Blob(raw).toString('base64')}`,
    fingerprint: sha256Fingerprint(ed25519Blob(raw)),
  }
}

function readSshString(b: Buffer, at: number): [Buffer, number] {
  if (at + 4 > b.length) throw new Error('short')
  const n = b.readUInt32BE(at)
  if (at + 4 + n > b.length) throw new Error('short')
  return [b.subarray(at + 4, at + 4 + n), at + 4 + n]
}

/**
 * An imported public key (OpenSSH "ssh-rsa AAAA… comment", or a PEM/DER RSA public key); undefined if
 * it is none. Imported RSA: MD5 of the DER public key (SubjectPublicKeyInfo), colon-separated hex.
 */
export function importMaterial(material: Buffer): Omit<Material, 'privatePem'> | undefined {
  const text = material.toString('utf8').trim()
  try {
    const ssh = /^(ssh-rsa|ssh-ed25519) ([A-Za-z0-9+/=]+)/.exec(text)
    if (ssh !== null) {
      const blob = Buffer.from(ssh[2]!, 'base64')
      const [type, next] = readSshString(blob, 0)
      if (type.toString() !== ssh[1]) return undefined
      if (ssh[1] === 'ssh-ed25519') {
        const [raw] = readSshString(blob, next)
        if (raw.length !== 32) return undefined
        return { keyType: 'ed25519', publicKey: `ssh-ed25519 ${blob.toString('base64')}`, fingerprint: sha256Fingerprint(blob) }
      }
      const [e, at] = readSshString(blob, next)
      const [n] = readSshString(blob, at)
      const key = createPublicKey({ key: { kty: 'RSA', e: e.toString('base64url'), n: stripZero(n).toString('base64url') }, format: 'jwk' })
      return rsaImported(key)
    }
    const key = createPublicKey(text.startsWith('-----') ? text : { key: material, format: 'der', type: 'spki' })
    if (key.asymmetricKeyType === 'rsa') return rsaImported(key)
    if (key.asymmetricKeyType === 'ed25519') {
      const blob = ed25519Blob(ed25519Raw(key))
      return { keyType: 'ed25519', publicKey: `ssh-ed25519 ${blob.toString('base64')}`, fingerprint: sha256Fingerprint(blob) }
    }
  } catch {
    return undefined
  }
  return undefined
}

const stripZero = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b)

function rsaImported(key: KeyObject): Omit<Material, 'privatePem'> {
  const der = key.export({ format: 'der', type: 'spki' })
  return { keyType: 'rsa', publicKey: `ssh-rsa ${rsaBlob(key).toString('base64')}`, fingerprint: colons(createHash('md5').update(der).digest('hex')) }
}

/** The RSA public key of a key pair's OpenSSH form ("ssh-rsa AAAA…"); undefined for any other (ED25519). */
export function rsaPublicKey(openssh: string): KeyObject | undefined {
  const ssh = /^ssh-rsa ([A-Za-z0-9+/=]+)/.exec(openssh.trim())
  if (ssh === null) return undefined
  try {
    const blob = Buffer.from(ssh[1]!, 'base64')
    const [, next] = readSshString(blob, 0)
    const [e, at] = readSshString(blob, next)
    const [n] = readSshString(blob, at)
    return createPublicKey({ key: { kty: 'RSA', e: e.toString('base64url'), n: stripZero(n).toString('base64url') }, format: 'jwk' })
  } catch {
    return undefined
  }
}
