// Regenerates the AWS tables Nimbus ships as data, from the botocore models installed with Python's
// boto3: src/gateway/aws-services.json (every AWS service's signing name, X-Amz-Target prefix and
// protocol, so a request for a service Nimbus does not serve is answered in that service's own
// protocol) and src/aws-regions.json (the regions --region accepts). Run: `node scripts/aws-tables.ts`.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))
const botocore = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim()
const data = join(botocore, 'data')

interface Metadata {
  protocol: string; protocols?: string[]; signingName?: string; endpointPrefix: string; targetPrefix?: string
  jsonVersion?: string; serviceId: string; serviceFullName: string
}

/** One service: only what recognising a request and answering it needs. */
interface Entry { id: string; name: string; signing: string; endpoint?: string; target?: string; protocol: string; json?: string }

function readModel(file: string): { metadata: Metadata } {
  const raw = readFileSync(file)
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as { metadata: Metadata }
}

const services: Entry[] = []
for (const dir of readdirSync(data, { withFileTypes: true })) {
  if (!dir.isDirectory()) continue
  const versions = readdirSync(join(data, dir.name)).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort()
  const latest = versions.at(-1)
  if (latest === undefined) continue
  const files = readdirSync(join(data, dir.name, latest)).filter((f) => /^service-2\.json(\.gz)?$/.test(f))
  if (files[0] === undefined) continue
  const m = readModel(join(data, dir.name, latest, files[0])).metadata
  // The protocol the newest SDKs prefer, except CBOR: every CBOR service also speaks one Nimbus can render.
  const protocol = (m.protocols ?? [m.protocol]).find((p) => p !== 'smithy-rpc-v2-cbor') ?? m.protocol
  const signing = m.signingName ?? m.endpointPrefix
  const entry: Entry = { id: m.serviceId, name: m.serviceFullName, signing, protocol }
  if (m.endpointPrefix !== signing) entry.endpoint = m.endpointPrefix
  if (m.targetPrefix !== undefined) entry.target = m.targetPrefix
  if (protocol === 'json' && m.jsonVersion !== undefined) entry.json = m.jsonVersion
  services.push(entry)
}
services.sort((a, b) => a.signing.localeCompare(b.signing) || a.id.localeCompare(b.id))
writeFileSync(join(root, 'src/gateway/aws-services.json'), `[\n${services.map((s) => JSON.stringify(s)).join(',\n')}\n]\n`)

const partitions = (JSON.parse(readFileSync(join(botocore, 'data/partitions.json'), 'utf8')) as { partitions: { regions: Record<string, unknown> }[] }).partitions
// `aws-global` and the like are endpoint aliases, not regions a client configures.
const regions = partitions.flatMap((p) => Object.keys(p.regions)).filter((r) => !r.endsWith('-global')).sort()
writeFileSync(join(root, 'src/aws-regions.json'), `${JSON.stringify(regions, null, 0).replaceAll(',', ', ')}\n`)
console.log(`aws-tables: ${services.length} services, ${regions.length} regions (botocore ${data})`)
