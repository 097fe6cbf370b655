// Clients and waits the Firehose end-to-end tests share: a stream over a fresh bucket, and a wait
// for deliveries that yields to the event loop (never sleeps) until Nimbus's own counters settle.
import { FirehoseClient, CreateDeliveryStreamCommand, type ExtendedS3DestinationConfiguration } from '@aws-sdk/client-firehose'
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import type { Nimbus } from '../../../src/index.ts'
import { advance, testCredentials, uniqueName } from '../../helpers/nimbus.ts'

export function clients(nimbus: Nimbus) {
  const options = { endpoint: nimbus.endpoint, region: 'us-east-1', credentials: testCredentials }
  return { firehose: new FirehoseClient(options), s3: new S3Client({ ...options, forcePathStyle: true }) }
}

interface FirehoseHealth {
  deliveredObjects: number
  deliveriesInFlight: number
  pendingRecords: number
  failedAttempts: number
  /** Batches handed to a transformation Lambda (the processor's buffer cut). */
  transformations: number
}

export const firehoseHealth = (nimbus: Nimbus) => nimbus.health().firehose as FirehoseHealth

/** Resolves once no delivery is in flight (and at least `delivered` objects were written in all). */
export async function deliveriesSettled(nimbus: Nimbus, delivered = 0): Promise<void> {
  // Polls the counters: a turn at a time first, then every few ms (a transformation runs a function's process).
  for (let i = 0; i < 20_000; i++) {
    const h = firehoseHealth(nimbus)
    if (h.deliveriesInFlight === 0 && h.deliveredObjects >= delivered) return
    await new Promise((resolve) => i < 10_000 ? setImmediate(resolve) : setTimeout(resolve, 5))
  }
  throw new Error(`deliveries did not settle: ${JSON.stringify(firehoseHealth(nimbus))}`)
}

/** A bucket and an ACTIVE stream delivering to it (the clock moved past CREATING). */
export async function streamToBucket(nimbus: Nimbus, destination: Partial<ExtendedS3DestinationConfiguration> = {}) {
  const { firehose, s3 } = clients(nimbus)
  const bucket = uniqueName('fh-bucket').toLowerCase()
  const name = uniqueName('fh-stream')
  await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  await streamTo(nimbus, name, bucket, destination)
  return { firehose, s3, bucket, name }
}

/** An ACTIVE stream `name` delivering to `bucket`, which need not exist yet (its deliveries fail until it does). */
export async function streamTo(nimbus: Nimbus, name: string, bucket: string, destination: Partial<ExtendedS3DestinationConfiguration> = {}): Promise<void> {
  await clients(nimbus).firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: name,
    ExtendedS3DestinationConfiguration: {
      RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: `arn:aws:s3:::${bucket}`, ...destination,
    },
  }))
  await advance(nimbus, 5_000)
}

export async function listKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }))
  return (out.Contents ?? []).map((o) => o.Key!)
}

export async function objectBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  return Buffer.from(await out.Body!.transformToByteArray())
}
