// Takes an upload's body as it streams in: aws-chunked framing decoded, MD5 (the ETag) and the
// requested flexible checksums computed, bytes written to a new blob. Only a body that arrived
// whole and matches every digest it was sent with becomes a blob; anything else is thrown away,
// so a failed upload never touches the object it would have replaced.
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Blob, BlobStore } from '../../../storage/blob-store.ts'
import { s3Errors } from '../errors.ts'
import { limits } from '../limits.ts'
import { AwsChunkedDecoder } from './aws-chunked.ts'
import { type ChecksumAlgorithm, checksumAlgorithms, checksumHeader, checksummer, digestBytes } from './checksums.ts'

/** What the HTTP layer says about how the body travels (headers outside the model). */
export interface Transfer {
  awsChunked: boolean
  /** x-amz-decoded-content-length: the payload's size inside the chunked framing. */
  decodedLength: number | undefined
  /** x-amz-trailer: the checksum that arrives after the body. */
  trailer: string | undefined
}

export interface IngestRequest {
  body: Readable | Uint8Array | undefined
  transfer: Transfer
  contentMd5: string | undefined
  /** Checksums sent as headers, by algorithm (base64). */
  checksums: Partial<Record<ChecksumAlgorithm, string>>
  /** x-amz-sdk-checksum-algorithm, or the multipart upload's algorithm. */
  algorithm: ChecksumAlgorithm | undefined
}

export interface Ingested {
  blob: Blob
  size: number
  md5: Buffer
  /** The checksum the client chose (checked), or the upload's algorithm (computed). */
  checksum: { algorithm: ChecksumAlgorithm; value: string } | undefined
}

export async function ingest(store: BlobStore, request: IngestRequest): Promise<Ingested> {
  const algorithm = chosenAlgorithm(request)
  const expectedMd5 = request.contentMd5 === undefined ? undefined : parseContentMd5(request.contentMd5)
  const md5 = createHash('md5')
  const sum = algorithm === undefined ? undefined : checksummer(algorithm)
  const decoder = request.transfer.awsChunked ? new AwsChunkedDecoder() : undefined
  const writer = store.writer()
  let size = 0
  const take = (data: Buffer) => {
    if (data.length === 0) return
    // A body that never declared its size (chunked transfer) is held to the same 5 GiB as one that did.
    if (size + data.length > limits.maxPutBytes) throw s3Errors.entityTooLarge(size + data.length, limits.maxPutBytes)
    md5.update(data)
    sum?.update(data)
    writer.write(data)
    size += data.length
  }
  try {
    await consume(toReadable(request.body), (chunk) => {
      if (decoder === undefined) take(chunk)
      else for (const data of decoder.push(chunk)) take(data)
    })
    const trailers = decoder?.end() ?? {}
    if (request.transfer.decodedLength !== undefined && request.transfer.decodedLength !== size) throw s3Errors.incompleteBody()
    const digest = md5.digest()
    if (expectedMd5 !== undefined && !digest.equals(expectedMd5)) {
      throw s3Errors.badDigest(request.contentMd5!, digest.toString('base64'))
    }
    const value = sum?.digest().toString('base64')
    if (algorithm !== undefined) {
      const expected = request.checksums[algorithm] ?? trailers[checksumHeader(algorithm)]
      if (expected !== undefined && expected !== value) throw s3Errors.badChecksum(algorithm)
    }
    return { blob: writer.commit(), size, md5: digest, checksum: algorithm === undefined ? undefined : { algorithm, value: value! } }
  } catch (error) {
    writer.abort()
    throw error
  }
}

/** One checksum per request: a header, a trailer, or the SDK's declared algorithm. */
function chosenAlgorithm(request: IngestRequest): ChecksumAlgorithm | undefined {
  const sent = checksumAlgorithms.filter((a) => request.checksums[a] !== undefined)
  const trailer = request.transfer.trailer?.toLowerCase()
  const trailed = checksumAlgorithms.find((a) => checksumHeader(a) === trailer)
  if (trailed !== undefined && !sent.includes(trailed)) sent.push(trailed)
  if (sent.length > 1) throw s3Errors.invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.')
  for (const a of sent) {
    const value = request.checksums[a]
    if (value !== undefined && (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || Buffer.from(value, 'base64').length !== digestBytes[a])) throw s3Errors.invalidChecksumHeader(checksumHeader(a))
  }
  return sent[0] ?? request.algorithm
}

function parseContentMd5(value: string): Buffer {
  const bytes = Buffer.from(value, 'base64')
  if (bytes.length !== 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim())) throw s3Errors.invalidDigest(value)
  return bytes
}

function toReadable(body: Readable | Uint8Array | undefined): Readable {
  if (body instanceof Readable) return body
  return Readable.from(body === undefined || body.length === 0 ? [] : [Buffer.from(body.buffer, body.byteOffset, body.byteLength)])
}

/**
 * Reads a stream to its end without ever destroying it: the gateway may still answer on the same
 * connection, and drains whatever a failed upload left unread. A client gone midway is IncompleteBody.
 */
function consume(source: Readable, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      source.off('data', onData)
      source.off('end', onEnd)
      source.off('error', onError)
      source.off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      try {
        onChunk(chunk)
      } catch (error) {
        cleanup()
        reject(error)
      }
    }
    const onEnd = () => {
      cleanup()
      resolve()
    }
    const onError = (error: Error) => {
      cleanup()
      reject(error)
    }
    const onClose = () => {
      cleanup()
      reject(s3Errors.incompleteBody())
    }
    source.on('data', onData)
    source.once('end', onEnd)
    source.once('error', onError)
    source.once('close', onClose)
  })
}
