// S3 objects over plain HTTP, the way an SDK sends them (SigV4 header, unsigned payload): PUT and
// GET of 1 KiB and 1 MiB objects at 1 and 8 in flight, and one 256 MiB streamed upload with the
// serving process's peak RSS sampled meanwhile. Nimbus, moto_server and s3rver side by side.
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { type LoadResult, Tally } from './load.ts'
import { rssMb } from './servers.ts'
import { HOST } from './sqs.ts'

export interface S3Target {
  label: string
  port: number
  serverPid: number
  closesConnections: boolean
  /** s3rver verifies signatures: it gets unsigned (anonymous) requests instead. */
  anonymous?: boolean
}

export interface S3Cell {
  size: number
  inFlight: number
  put: LoadResult
  get: LoadResult
}

export interface S3BenchResult {
  cells: S3Cell[]
  bigUpload?: { mbPerSecond: number; idleRssMb: number; peakRssMb: number; status: number }
}

const authorization = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=0'

function headers(anonymous: boolean, extra: Record<string, string>): Record<string, string> {
  if (anonymous) return extra
  return {
    authorization, 'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...extra,
  }
}

function call(target: S3Target, method: string, path: string, body: Buffer | Readable | undefined, agent: Agent | false,
  length?: number): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const size = body === undefined ? 0 : Buffer.isBuffer(body) ? body.length : length ?? 0
    const extra: Record<string, string> = body === undefined ? {} : { 'content-length': String(size) }
    const req = request({ host: HOST, port: target.port, method, path, agent, headers: headers(target.anonymous === true, extra) },
      (res) => {
        let bytes = 0
        res.on('data', (c: Buffer) => void (bytes += c.length))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }))
        res.on('error', reject)
      })
    req.setTimeout(120_000, () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    if (body instanceof Readable) body.pipe(req)
    else req.end(body)
  })
}

async function loop(inFlight: number, seconds: number, next: (i: number, agent: Agent) => Promise<boolean>): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight })
  const tally = new Tally()
  const t0 = performance.now()
  const until = t0 + seconds * 1000
  let counter = 0
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < until) {
      const start = performance.now()
      try {
        if (await next(counter++, agent)) tally.success(performance.now() - start)
        else tally.non2xx++
      } catch (error) {
        tally.failure(error)
      }
    }
  }))
  agent.destroy()
  return tally.result((performance.now() - t0) / 1000)
}

/** 256 MiB from a generator (never whole in the client either), as one PUT. */
async function bigUpload(target: S3Target, bucket: string): Promise<S3BenchResult['bigUpload']> {
  const total = 256 * 1024 * 1024
  const chunk = Buffer.alloc(1024 * 1024, 7)
  const body = Readable.from((function* () {
    for (let sent = 0; sent < total; sent += chunk.length) yield chunk
  })())
  const idleRssMb = rssMb(target.serverPid)
  let peakRssMb = idleRssMb
  const sampler = setInterval(() => void (peakRssMb = Math.max(peakRssMb, rssMb(target.serverPid))), 20)
  const t0 = performance.now()
  const out = await call(target, 'PUT', `/${bucket}/big-object`, body, false, total)
  const seconds = (performance.now() - t0) / 1000
  clearInterval(sampler)
  peakRssMb = Math.max(peakRssMb, rssMb(target.serverPid))
  return { mbPerSecond: total / 1024 / 1024 / seconds, idleRssMb, peakRssMb, status: out.status }
}

/** CreateBucket, then one object PUT (what the wrk GETs of bench/s3-wrk.ts read). */
export async function putObjectOnce(target: S3Target, bucket: string, key: string, body: Buffer): Promise<void> {
  const created = await call(target, 'PUT', `/${bucket}`, undefined, false)
  if (created.status !== 200) throw new Error(`CreateBucket: HTTP ${created.status}`)
  const put = await call(target, 'PUT', `/${bucket}/${key}`, body, false)
  if (put.status !== 200) throw new Error(`PutObject: HTTP ${put.status}`)
}

/** PUTs of `size` bytes over 64 keys at `inFlight` for `seconds`, into a bucket it creates (the durable section's S3 row). */
export async function putLoad(target: S3Target, bucket: string, size: number, inFlight: number, seconds: number): Promise<LoadResult> {
  const created = await call(target, 'PUT', `/${bucket}`, undefined, false)
  if (created.status !== 200) throw new Error(`CreateBucket: HTTP ${created.status}`)
  const body = Buffer.alloc(size, 1)
  return loop(inFlight, seconds, async (i, agent) => (await call(target, 'PUT', `/${bucket}/k${i % 64}`, body, agent)).status === 200)
}

export async function s3Bench(target: S3Target, options: { seconds: number; objects: boolean; bigUpload: boolean; tag: string }): Promise<S3BenchResult> {
  const bucket = `${options.tag}-bucket`
  const created = await call(target, 'PUT', `/${bucket}`, undefined, false)
  if (created.status !== 200) throw new Error(`CreateBucket: HTTP ${created.status}`)
  const cells: S3Cell[] = []
  for (const size of options.objects ? [1024, 1024 * 1024] : []) {
    const body = Buffer.alloc(size, 1)
    for (const inFlight of [1, 8]) {
      const keys = 64
      const prefix = `s${size}-f${inFlight}`
      const put = await loop(inFlight, options.seconds, async (i, agent) =>
        (await call(target, 'PUT', `/${bucket}/${prefix}/k${i % keys}`, body, agent)).status === 200)
      const get = await loop(inFlight, options.seconds, async (i, agent) => {
        const out = await call(target, 'GET', `/${bucket}/${prefix}/k${i % keys}`, undefined, agent)
        return out.status === 200 && out.bytes === size
      })
      cells.push({ size, inFlight, put, get })
    }
  }
  return { cells, bigUpload: options.bigUpload ? await bigUpload(target, bucket) : undefined }
}
