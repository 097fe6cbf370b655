// The CRC64NVME AWS gives every object uploaded without a checksum — a single PUT, or a multipart
// upload created without an algorithm (FULL_OBJECT: the CRC of the whole body, which is what combining
// the parts' CRCs gives) — computed here on the first read that asks for it (GET/HEAD with checksum
// mode, GetObjectAttributes) rather than on every upload: a PUT then costs one hash (MD5), and the CRC
// is one extra pass over the body, once, kept in the row.
import { checksummer } from './body/checksums.ts'
import type { Bucket } from './bucket.ts'
import type { ObjectVersion } from './object.ts'

export async function ensureChecksum(bucket: Bucket, version: ObjectVersion): Promise<void> {
  // Delete markers have no body.
  if (version.checksum !== undefined || version.blob === undefined) return
  const blob = version.blob
  blob.retain()
  try {
    const sum = checksummer('CRC64NVME')
    for await (const chunk of blob.read(0, version.size)) sum.update(chunk as Buffer)
    // Another read may have computed it meanwhile: the value is the same either way.
    version.checksum = { algorithm: 'CRC64NVME', value: sum.digest().toString('base64'), type: 'FULL_OBJECT' }
    bucket.savedVersion(version)
  } finally {
    blob.release()
  }
}
