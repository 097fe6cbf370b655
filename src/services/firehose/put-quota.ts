// Direct PUT throughput quota: each delivery stream takes so many records, requests and bytes a second
// from PutRecord and PutRecordBatch together (AWS's "Amazon Data Firehose Quota"), counted per second
// of Nimbus's clock as Kinesis counts its shards' writes (deterministic on the manual clock).

/** A stream's Direct PUT quota per second. */
export interface PutQuota {
  recordsPerSecond: number
  requestsPerSecond: number
  /** MiB of record data (before base64) a second. */
  mibPerSecond: number
}

/**
 * AWS's defaults (Firehose Developer Guide, "Amazon Data Firehose Quota"): "For US East (N. Virginia),
 * US West (Oregon), and Europe (Ireland): 500,000 records/second, 2,000 requests/second, and 5
 * MiB/second"; "For other AWS Regions: 100,000 records/second, 1,000 requests/second, and 1 MiB/second"
 * (older versions of the page said 5,000 and 1,000 records).
 */
export function defaultPutQuota(region: string): PutQuota {
  return ['us-east-1', 'us-west-2', 'eu-west-1'].includes(region)
    ? { recordsPerSecond: 500_000, requestsPerSecond: 2_000, mibPerSecond: 5 }
    : { recordsPerSecond: 100_000, requestsPerSecond: 1_000, mibPerSecond: 1 }
}

interface Usage {
  second: number
  records: number
  requests: number
  bytes: number
}

/** What one stream took in the clock second its last call arrived in. */
export class PutThrottle {
  /** Nimbus's `firehoseDirectPutQuota` option: one quota for every Region (e.g. raised for benchmarks). */
  private readonly override: PutQuota | undefined
  /** Keyed by the stream object: a stream deleted and created again starts with a fresh second. */
  private readonly usage = new WeakMap<object, Usage>()

  constructor(override?: PutQuota) {
    this.override = override
  }

  /**
   * One call's admission: undefined when the stream already took its requests this second (the whole call
   * is refused). Otherwise the call counts, and `record` admits its records one by one.
   */
  request(stream: { region: string }, now: number): { record(bytes: number): boolean } | undefined {
    const quota = this.override ?? defaultPutQuota(stream.region)
    const second = Math.floor(now / 1000)
    let usage = this.usage.get(stream)
    if (usage === undefined || usage.second !== second) {
      usage = { second, records: 0, requests: 0, bytes: 0 }
      this.usage.set(stream, usage)
    }
    if (usage.requests >= quota.requestsPerSecond) return undefined
    usage.requests++
    const bytesPerSecond = quota.mibPerSecond * 1_048_576
    const u = usage
    return {
      record(bytes: number): boolean {
        if (u.records + 1 > quota.recordsPerSecond || u.bytes + bytes > bytesPerSecond) return false
        u.records++
        u.bytes += bytes
        return true
      },
    }
  }
}
