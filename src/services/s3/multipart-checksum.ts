// A completed multipart object's checksum: COMPOSITE (the checksum of the parts' checksums, `-<n>`)
// or FULL_OBJECT (the parts' CRCs combined into the CRC of the whole body, without reading it), and
// the checks CompleteMultipartUpload makes of the checksums it is sent.
import { type ChecksumAlgorithm, checksumHeader, checksummer, digestBytes } from './body/checksums.ts'
import { s3Errors } from './errors.ts'
import type { MultipartUpload, Part } from './multipart.ts'
import type { StoredChecksum } from './object.ts'

/** Reflected polynomials of the CRCs S3 can combine (FULL_OBJECT). */
const polynomials: Partial<Record<ChecksumAlgorithm, { poly: bigint; bits: bigint }>> = {
  CRC32: { poly: 0xedb88320n, bits: 32n },
  CRC32C: { poly: 0x82f63b78n, bits: 32n },
  CRC64NVME: { poly: 0x9a6c9329ac4bc9b5n, bits: 64n },
}

export function canCombine(algorithm: ChecksumAlgorithm): boolean {
  return polynomials[algorithm] !== undefined
}

/** a·b modulo the polynomial, in the reflected representation (x^0 is the top bit), as zlib's crc32_combine. */
function multiply(a: bigint, b: bigint, poly: bigint, top: bigint): bigint {
  let product = 0n
  for (let m = top; m > 0n; m >>= 1n) {
    if ((a & m) !== 0n) product ^= b
    b = (b & 1n) !== 0n ? (b >> 1n) ^ poly : b >> 1n
  }
  return product
}

/** CRC(A‖B) from CRC(A), CRC(B) and B's length: CRC(A)·x^(8·len B) ⊕ CRC(B) (the pre/post inversion cancels). */
function combine(algorithm: ChecksumAlgorithm, crcA: bigint, crcB: bigint, lengthB: number): bigint {
  const { poly, bits } = polynomials[algorithm]!
  const top = 1n << (bits - 1n)
  let power = top
  let base = top >> 1n
  for (let e = BigInt(lengthB) * 8n; e > 0n; e >>= 1n) {
    if ((e & 1n) !== 0n) power = multiply(power, base, poly, top)
    base = multiply(base, base, poly, top)
  }
  return multiply(power, crcA, poly, top) ^ crcB
}

const toBig = (b64: string): bigint => BigInt(`0x${Buffer.from(b64, 'base64').toString('hex') || '0'}`)
const fromBig = (value: bigint, bytes: number): string => Buffer.from(value.toString(16).padStart(bytes * 2, '0'), 'hex').toString('base64')

/** The object's checksum once the parts are chosen; undefined when the upload has none (or a part lacks one). */
export function completedChecksum(upload: MultipartUpload, parts: readonly Part[]): StoredChecksum | undefined {
  const algorithm = upload.checksumAlgorithm
  if (algorithm === undefined || parts.some((p) => p.checksum === undefined)) return undefined
  if (upload.checksumType === 'FULL_OBJECT') {
    let crc = toBig(parts[0]!.checksum!)
    for (const part of parts.slice(1)) crc = combine(algorithm, crc, toBig(part.checksum!), part.size)
    return { algorithm, value: fromBig(crc, digestBytes[algorithm]), type: 'FULL_OBJECT' }
  }
  const sum = checksummer(algorithm)
  for (const part of parts) sum.update(Buffer.from(part.checksum!, 'base64'))
  return { algorithm, value: `${sum.digest().toString('base64')}-${parts.length}`, type: 'COMPOSITE' }
}

/**
 * CreateMultipartUpload's x-amz-checksum-type: COMPOSITE unless FULL_OBJECT is asked for, which only
 * the CRCs can do; a type needs an algorithm [R: the wording of these 400s].
 */
export function checksumTypeOf(type: string | undefined, algorithm: ChecksumAlgorithm | undefined): 'FULL_OBJECT' | 'COMPOSITE' | undefined {
  // CRC64NVME has no COMPOSITE form.
  if (type === undefined) return algorithm === undefined ? undefined : algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE'
  if (type !== 'FULL_OBJECT' && type !== 'COMPOSITE') throw s3Errors.invalidChecksumHeader('x-amz-checksum-type')
  if (algorithm === undefined) {
    throw s3Errors.invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.')
  }
  if (type === 'FULL_OBJECT' && !canCombine(algorithm)) {
    throw s3Errors.invalidRequest(`The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`)
  }
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') {
    throw s3Errors.invalidRequest('The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.')
  }
  return type
}

/** A COMPOSITE checksum upload must name every part's checksum in the Complete request [D: AWS's message as reported]. */
export function checkPartChecksumSent(upload: MultipartUpload, partNumber: number, sent: unknown): void {
  if (upload.checksumAlgorithm === undefined || upload.checksumType !== 'COMPOSITE' || sent !== undefined) return
  throw s3Errors.invalidRequest(`The upload was created using a ${upload.checksumAlgorithm.toLowerCase()} checksum. The complete request must ` +
    `include the checksum for each part. It was missing for part ${partNumber} in the request.`)
}

/**
 * The whole-object checksum headers a Complete request may carry: each must be well-formed (a digest,
 * `-<n>` after it for COMPOSITE) → else 400 "Value for … header is invalid."; one in the object's
 * algorithm must equal what S3 computed → else 400 BadDigest [R].
 */
export function checkCompleteChecksums(sent: Partial<Record<ChecksumAlgorithm, string>>, computed: StoredChecksum | undefined): void {
  for (const [name, value] of Object.entries(sent) as Array<[ChecksumAlgorithm, string | undefined]>) {
    if (value === undefined) continue
    const m = /^([A-Za-z0-9+/]+={0,2})(-\d+)?$/.exec(value)
    if (m === null || Buffer.from(m[1]!, 'base64').length !== digestBytes[name]) throw s3Errors.invalidChecksumHeader(checksumHeader(name))
    if (computed !== undefined && computed.algorithm === name && computed.value !== value &&
      !(computed.type === 'COMPOSITE' && m[2] === undefined && computed.value.startsWith(`${value}-`))) {
      throw s3Errors.badChecksum(name.toLowerCase())
    }
  }
}
