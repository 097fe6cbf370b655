// The S3 rows of `npm run bench`: object PUT/GET on the shared Nimbus and moto children plus a
// freshly started s3rver, and the 256 MiB upload on each, with Nimbus also run with --data-dir
// (bodies in files) since in-memory storage must hold the object by definition.
import { fmt } from './report.ts'
import { putObjectOnce, s3Bench, type S3BenchResult, type S3Target } from './s3.ts'
import { s3WrkSection } from './s3-wrk.ts'
import { nimbusDiskSpec, s3rverSpec, type Started, startTarget, type TargetSpec } from './servers.ts'

export const S3_TARGET_MOTO_RATIO = 5
export const S3_TARGET_UPLOAD_RSS_MB = 100

export interface S3SectionOptions {
  nimbus: S3Target | undefined
  /** The compiled Nimbus's spec, to start the --data-dir variant from. */
  nimbusSpec: TargetSpec | undefined
  moto: S3Target | undefined
  /** The bare node:http server (bench/hello-server.ts) the 1 MiB rows measured with wrk compare with. */
  hello: { port: number; serverPid: number } | undefined
  seconds: number
  /** Slices per wrk cell (bare and Nimbus interleaved). */
  rounds: number
  log: (line: string) => void
}

async function measure(target: S3Target, options: S3SectionOptions, objects: boolean): Promise<S3BenchResult | undefined> {
  try {
    const result = await s3Bench(target, { seconds: options.seconds, objects, bigUpload: true, tag: `bench-${Date.now()}` })
    for (const cell of result.cells) {
      options.log(`  ${target.label.padEnd(26)} S3 ${cell.size === 1024 ? '1 KiB' : '1 MiB'} × ${cell.inFlight} in flight:` +
        ` PUT ${fmt(cell.put.perSecond)}/s, GET ${fmt(cell.get.perSecond)}/s` +
        `${cell.put.non2xx + cell.put.errors + cell.get.non2xx + cell.get.errors > 0 ? '  ⚠ failures' : ''}`)
    }
    const big = result.bigUpload
    if (big !== undefined) {
      options.log(`  ${target.label.padEnd(26)} S3 256 MiB PUT: ${fmt(big.mbPerSecond)} MB/s (HTTP ${big.status}),` +
        ` RSS ${fmt(big.idleRssMb)} → peak ${fmt(big.peakRssMb)} MB`)
    }
    return result
  } catch (error) {
    options.log(`  ${target.label}: S3 measurement failed: ${String(error)}`)
    return undefined
  }
}

async function started(spec: TargetSpec, options: S3SectionOptions): Promise<Started | undefined> {
  try {
    return await startTarget(spec)
  } catch (error) {
    options.log(`  ${spec.label}: failed to start: ${String(error)}`)
    return undefined
  }
}

export async function s3Section(options: S3SectionOptions): Promise<string> {
  const results = new Map<string, S3BenchResult | undefined>()
  if (options.nimbus !== undefined) results.set('nimbus', await measure(options.nimbus, options, true))
  if (options.moto !== undefined) results.set('moto', await measure(options.moto, options, true))
  const s3rver = await started(s3rverSpec(), options)
  if (s3rver !== undefined) {
    results.set('s3rver', await measure({ label: 's3rver', port: s3rver.port, serverPid: s3rver.serverPid,
      closesConnections: false, anonymous: true }, options, true))
    await s3rver.stop()
  }
  if (options.nimbusSpec !== undefined) {
    const disk = await started(nimbusDiskSpec(options.nimbusSpec), options)
    if (disk !== undefined) {
      results.set('disk', await measure({ label: 'Nimbus --data-dir', port: disk.port, serverPid: disk.serverPid,
        closesConnections: false }, options, false))
      await disk.stop()
    }
  }
  let wrkRows = ''
  // A fresh Nimbus: the shared one holds every object above by now (the 256 MiB one too), and a PUT
  // flood's garbage costs more GC next to a big heap; the bare server holds nothing either.
  const fresh = options.hello !== undefined && options.nimbusSpec !== undefined ? await started(options.nimbusSpec, options) : undefined
  if (fresh !== undefined && options.hello !== undefined) {
    const { hello } = options
    const nimbus: S3Target = { label: 'Nimbus (fresh)', port: fresh.port, serverPid: fresh.serverPid, closesConnections: false }
    try {
      wrkRows = await s3WrkSection({
        nimbusPort: nimbus.port, nimbusPid: nimbus.serverPid, helloPort: hello.port, helloPid: hello.serverPid,
        seconds: options.seconds * 2, rounds: Math.max(2, options.rounds), log: options.log,
        prepare: (bucket, key, body) => putObjectOnce(nimbus, bucket, key, body),
      })
    } catch (error) {
      options.log(`  S3 wrk rows failed: ${String(error)}`)
      wrkRows = `S3 wrk rows failed: ${String(error)}`
    }
    await fresh.stop()
  }
  return [table(results, options.seconds), wrkRows].filter((part) => part !== '').join('\n\n')
}

function table(results: Map<string, S3BenchResult | undefined>, seconds: number): string {
  const [n, m, s] = ['nimbus', 'moto', 's3rver'].map((k) => results.get(k))
  const ratio = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(1)}×` : '—'
  const lines = [
    '## S3',
    '',
    `Same Nimbus and moto processes as above, s3rver started for this section; ${seconds} s per cell; 64 keys`,
    'rewritten in turn; SigV4-shaped headers with an unsigned payload (s3rver: anonymous requests).',
    '',
    '| Measurement | Nimbus | moto_server | s3rver | Nimbus / moto | Nimbus / s3rver | target |',
    '|---|---|---|---|---|---|---|',
  ]
  for (const [index, cell] of (n?.cells ?? []).entries()) {
    const label = `${cell.size === 1024 ? '1 KiB' : '1 MiB'}, ${cell.inFlight} in flight`
    for (const op of ['put', 'get'] as const) {
      const [nv, mv, sv] = [cell[op].perSecond, m?.cells[index]?.[op].perSecond, s?.cells[index]?.[op].perSecond]
      lines.push(`| ${op.toUpperCase()} ${label}, /s | ${fmt(nv)} | ${fmt(mv)} | ${fmt(sv)} | ${ratio(nv, mv)} | ${ratio(nv, sv)} | ` +
        `${cell.size === 1024 ? `≥ ${S3_TARGET_MOTO_RATIO}× moto` : ''} |`)
    }
  }
  const row = (key: string, label: string) => {
    const big = results.get(key)?.bigUpload
    return big === undefined ? undefined
      : `| ${label} | ${fmt(big.mbPerSecond)} | ${fmt(big.idleRssMb)} | ${fmt(big.peakRssMb)} | ${fmt(big.peakRssMb - big.idleRssMb)} |`
  }
  lines.push('', '256 MiB single PUT (streamed from the client), serving process RSS sampled every 20 ms:', '',
    '| Target | MB/s | RSS before, MB | peak RSS, MB | peak − before, MB |', '|---|---|---|---|---|')
  for (const [key, label] of [['disk', 'Nimbus --data-dir (bodies in files)'], ['nimbus', 'Nimbus, in memory (holds the object)'],
    ['moto', 'moto_server'], ['s3rver', 's3rver (files)']]) {
    const line = row(key!, label!)
    if (line !== undefined) lines.push(line)
  }
  const disk = results.get('disk')?.bigUpload
  if (disk !== undefined) {
    const growth = disk.peakRssMb - disk.idleRssMb
    lines.push('', `Target: peak RSS during the 256 MiB upload < ${S3_TARGET_UPLOAD_RSS_MB} MB above idle (Nimbus --data-dir):` +
      ` ${fmt(growth)} MB — ${growth < S3_TARGET_UPLOAD_RSS_MB ? 'PASS' : 'MISS'}.`)
  }
  return lines.join('\n')
}
