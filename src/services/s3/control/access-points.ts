// S3 access points: named entry points to one bucket, each with its own policy and Block Public
// Access settings, created through S3 Control and used on the data plane by ARN (the SDK's
// `<name>-<account>.s3-accesspoint.<region>…` host) or by alias (`<name>-<metadata>-s3alias`, a
// bucket-style name). Unique by name per account and region; aliases are unique everywhere.
// Durable with a data dir as rows of `s3_access_points`, key `<account>/<region>/<name>`.
import { randomBytes } from 'node:crypto'
import type { Persistence, Table } from '../../../storage/persistence/persistence.ts'
import type { PublicAccessBlock } from '../access/public-access-block.ts'

export interface AccessPoint {
  name: string
  account: string
  region: string
  bucket: string
  bucketAccount: string
  alias: string
  /** `VPC` when created with a VpcConfiguration, else `Internet`. */
  vpcId: string | undefined
  block: PublicAccessBlock
  policy: string | undefined
  created: number
}

export const accessPointArn = (ap: AccessPoint): string => `arn:aws:s3:${ap.region}:${ap.account}:accesspoint/${ap.name}`

/** `arn:aws:s3:<region>:<account>:accesspoint/<name>` (object ARNs' `/object/<key>` tail ignored). */
export function parseAccessPointArn(arn: string): { region: string; account: string; name: string } | undefined {
  const match = /^arn:aws[a-z-]*:s3:([a-z0-9-]+):(\d{12}):accesspoint[/:]([a-z0-9-]+)$/.exec(arn)
  return match === null ? undefined : { region: match[1]!, account: match[2]!, name: match[3]! }
}

/** AWS's alias: the name, generated metadata (lowercase letters and digits), then `-s3alias`. */
function newAlias(name: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const metadata = [...randomBytes(34)].map((b) => letters[b % letters.length]).join('')
  return `${name}-${metadata}-s3alias`
}

export class AccessPoints {
  private readonly byKey = new Map<string, AccessPoint>()
  private readonly byAlias = new Map<string, AccessPoint>()
  private readonly table: Table<AccessPoint> | undefined

  constructor(persistence?: Persistence) {
    this.table = persistence?.table('s3_access_points')
    for (const [key, ap] of this.table?.load() ?? []) {
      this.byKey.set(key, ap)
      this.byAlias.set(ap.alias, ap)
    }
  }

  get(account: string, region: string, name: string): AccessPoint | undefined {
    return this.byKey.get(`${account}/${region}/${name}`)
  }

  byAliasName(alias: string): AccessPoint | undefined {
    return this.byAlias.get(alias)
  }

  /** The `<name>-<account>` host label the SDK addresses an access point ARN by (any region when not given). */
  byHostLabel(label: string, region?: string): AccessPoint | undefined {
    const match = /^(.+)-(\d{12})$/.exec(label)
    if (match === null) return undefined
    for (const ap of this.byKey.values()) {
      if (ap.name === match[1] && ap.account === match[2] && (region === undefined || ap.region === region)) return ap
    }
    return undefined
  }

  list(account: string, region: string): AccessPoint[] {
    return [...this.byKey.values()].filter((ap) => ap.account === account && ap.region === region)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** Every access point naming the bucket, whatever its account or region (DeleteBucket refuses while any is left). */
  forBucket(bucket: string): AccessPoint[] {
    return [...this.byKey.values()].filter((ap) => ap.bucket === bucket)
  }

  create(fields: Omit<AccessPoint, 'alias' | 'policy' | 'created'>, now: number): AccessPoint {
    let alias = newAlias(fields.name)
    while (this.byAlias.has(alias)) alias = newAlias(fields.name)
    const ap: AccessPoint = { ...fields, alias, policy: undefined, created: now }
    this.byKey.set(`${ap.account}/${ap.region}/${ap.name}`, ap)
    this.byAlias.set(alias, ap)
    this.saved(ap)
    return ap
  }

  saved(ap: AccessPoint): void {
    this.table?.put(`${ap.account}/${ap.region}/${ap.name}`, ap)
  }

  delete(ap: AccessPoint): void {
    this.byKey.delete(`${ap.account}/${ap.region}/${ap.name}`)
    this.byAlias.delete(ap.alias)
    this.table?.delete(`${ap.account}/${ap.region}/${ap.name}`)
  }

  reset(): void {
    this.byKey.clear()
    this.byAlias.clear()
    this.table?.clear()
  }
}
