// Lambda's durable control plane as rows of the persistence layer (docs/persistence.md): functions
// with their aliases and settings, published versions, layers and their versions, event source
// mappings. Code is not in rows: a row names its package by hash, the package is a file of the code
// store under the data dir. Only built with a data dir: in memory Lambda holds no LambdaRows.
import type { Persistence, Table } from '../../storage/persistence/persistence.ts'
import { CodeStore, type StoredCode } from './code-store.ts'
import { type Alias, type FunctionVersion, LambdaFunction, type LayerRef, type PolicyStatement } from './function.ts'
import type * as T from './generated/types.ts'
import { Layer, type LayerVersion } from './layer.ts'

/** A package as rows reference it: its hash names the code store's files; sha256/size are what Lambda reports. */
interface CodeRow {
  hash: string
  sha256: string
  size: number
}

/** A version's configuration (`$LATEST` or published). Published ones: key `<account>/<region>/<function>/<version>`. */
export type VersionRow = Omit<FunctionVersion, 'code' | 'layers'> & {
  code: CodeRow
  layers: Array<{ arn: string; codeSize: number; hash: string }>
}

type InvokeConfigRow = Omit<T.FunctionEventInvokeConfig, 'LastModified'> & { LastModified: number | undefined }

/** A function with everything that hangs off it but its published versions. Key `<account>/<region>/<name>`. */
export interface FunctionRow {
  /** LambdaFunction.id: stored async events and retries name their function by it (absent in rows of older stores: derived from the key). */
  id?: string
  account: string
  region: string
  name: string
  latest: VersionRow
  nextVersion: number
  aliases: Alias[]
  tags: Record<string, string>
  policy: readonly PolicyStatement[]
  /** Per qualifier (`$LATEST`, a version, an alias). */
  eventInvokeConfigs: Array<[qualifier: string, config: InvokeConfigRow]>
  reservedConcurrency: number | undefined
}

/** A layer's name and its next version number (never reused). Key `<account>/<region>/<name>`. */
interface LayerRow {
  account: string
  region: string
  name: string
  next: number
}

/** Key `<account>/<region>/<layer>/<version>`. */
type LayerVersionRow = Omit<LayerVersion, 'code'> & { layer: string; code: CodeRow }

/** An event source mapping's configuration and state. Key: its UUID. */
export interface MappingRow {
  uuid: string
  account: string
  region: string
  arn: string
  queueArn: string
  /** Unqualified: a mapping names its function by ARN, so a function deleted and created again is found again. */
  functionArn: string
  qualifier: string | undefined
  config: {
    BatchSize: number
    MaximumBatchingWindowInSeconds: number
    FilterCriteria?: T.FilterCriteria
    FunctionResponseTypes?: T.FunctionResponseType[]
    ScalingConfig?: T.ScalingConfig
    /** Stream sources (Kinesis) only. */
    StartingPosition?: T.EventSourcePosition
    StartingPositionTimestamp?: number
    BisectBatchOnFunctionError?: boolean
    MaximumRetryAttempts?: number
    MaximumRecordAgeInSeconds?: number
    ParallelizationFactor?: number
    TumblingWindowInSeconds?: number
    /** DestinationConfig.OnFailure.Destination (SQS or SNS ARN). */
    OnFailure?: string
  }
  enabled: boolean
  lastModified: number
  /** Stream sources: each shard's position (written as batches finish), so a restart resumes after the last processed record. */
  checkpoints?: Record<string, { after: string; drained: boolean }>
}

export interface RestoredLambda {
  functions: LambdaFunction[]
  layers: Layer[]
  mappings: MappingRow[]
}

export class LambdaRows {
  private readonly functions: Table<FunctionRow>
  private readonly versions: Table<VersionRow>
  private readonly layers: Table<LayerRow>
  private readonly layerVersions: Table<LayerVersionRow>
  private readonly mappings: Table<MappingRow>

  constructor(persistence: Persistence) {
    this.functions = persistence.table('lambda_functions')
    this.versions = persistence.table('lambda_versions')
    this.layers = persistence.table('lambda_layers')
    this.layerVersions = persistence.table('lambda_layer_versions')
    this.mappings = persistence.table('lambda_event_source_mappings')
  }

  /** The function row: written after every change to $LATEST, aliases, tags, policy, concurrency or invoke configs. */
  fn(fn: LambdaFunction): void {
    this.functions.put(functionKey(fn), {
      id: fn.id, account: fn.account, region: fn.region, name: fn.name, latest: encodeVersion(fn.latest), nextVersion: fn.nextVersion,
      aliases: [...fn.aliases.values()], tags: fn.tags, policy: fn.policy,
      eventInvokeConfigs: [...fn.eventInvokeConfigs].map(([qualifier, c]) => [qualifier, { ...c, LastModified: c.LastModified?.getTime() }]),
      reservedConcurrency: fn.reservedConcurrency,
    })
  }
  /** A deleted function: its row and every published version's. */
  fnGone(fn: LambdaFunction): void {
    this.functions.delete(functionKey(fn))
    for (const version of fn.versions.keys()) this.versions.delete(`${functionKey(fn)}/${version}`)
  }
  /** A published version: written once (publishing is what changes the function's counter, hence `fn` too). */
  version(fn: LambdaFunction, v: FunctionVersion): void {
    this.versions.put(`${functionKey(fn)}/${v.version}`, encodeVersion(v))
    this.fn(fn)
  }
  versionGone(fn: LambdaFunction, version: string): void {
    this.versions.delete(`${functionKey(fn)}/${version}`)
  }

  layerVersion(layer: Layer, account: string, region: string, v: LayerVersion): void {
    const key = `${account}/${region}/${layer.name}`
    this.layers.put(key, { account, region, name: layer.name, next: layer.next })
    this.layerVersions.put(`${key}/${v.version}`, { ...v, layer: key, code: encodeCode(v.code) })
  }
  layerVersionGone(account: string, region: string, layer: string, version: number): void {
    this.layerVersions.delete(`${account}/${region}/${layer}/${version}`)
  }

  mapping(row: MappingRow): void {
    this.mappings.put(row.uuid, row)
  }
  mappingGone(uuid: string): void {
    this.mappings.delete(uuid)
  }

  /** POST /_nimbus/reset: every Lambda row goes (the packages no row names go at the next start). */
  clear(): void {
    for (const table of [this.functions, this.versions, this.layers, this.layerVersions, this.mappings]) table.clear()
  }

  /**
   * Everything stored, with code paths resolved in `codes`; the code store then keeps exactly the
   * packages these reference (re-extracting any that went missing) and drops the rest.
   */
  load(codes: CodeStore, log: (line: string) => void): RestoredLambda {
    const referenced = new Set<string>()
    const code = (row: CodeRow): StoredCode => {
      referenced.add(row.hash)
      return { dir: codes.dirOf(row.hash), sha256: row.sha256, size: row.size }
    }
    const version = (row: VersionRow): FunctionVersion => ({
      ...row, code: code(row.code),
      layers: row.layers.map((l): LayerRef => {
        referenced.add(l.hash)
        return { arn: l.arn, codeSize: l.codeSize, dir: codes.dirOf(l.hash) }
      }),
    })
    const functions = new Map<string, LambdaFunction>()
    for (const [key, row] of this.functions.load()) {
      const fn = new LambdaFunction(row.name, row.account, row.region, version(row.latest),
        // A row stored before ids were: one derived from its key stays the same at every start.
        row.id ?? `stored:${key}`)
      fn.nextVersion = row.nextVersion
      for (const alias of row.aliases) fn.aliases.set(alias.name, alias)
      Object.assign(fn.tags, row.tags)
      fn.setPolicy(row.policy)
      for (const [qualifier, c] of row.eventInvokeConfigs) {
        fn.eventInvokeConfigs.set(qualifier, { ...c, LastModified: c.LastModified === undefined ? undefined : new Date(c.LastModified) })
      }
      fn.reservedConcurrency = row.reservedConcurrency
      functions.set(key, fn)
    }
    for (const [key, row] of this.versions.load()) {
      functions.get(key.slice(0, key.lastIndexOf('/')))?.versions.set(row.version, version(row))
    }
    const layers = new Map<string, Layer>()
    for (const [key, row] of this.layers.load()) {
      const layer = new Layer(row.name, row.account, row.region)
      layer.next = row.next
      layers.set(key, layer)
    }
    for (const [, row] of this.layerVersions.load()) {
      const { layer: key, ...v } = row
      layers.get(key)?.versions.set(v.version, { ...v, code: code(v.code) })
    }
    codes.restore(referenced, log)
    return { functions: [...functions.values()], layers: [...layers.values()], mappings: this.mappings.load().map(([, row]) => row) }
  }
}

function functionKey(fn: LambdaFunction): string {
  return `${fn.account}/${fn.region}/${fn.name}`
}

function encodeCode(code: StoredCode): CodeRow {
  return { hash: CodeStore.hashOf(code), sha256: code.sha256, size: code.size }
}

function encodeVersion(v: FunctionVersion): VersionRow {
  return { ...v, code: encodeCode(v.code), layers: v.layers.map((l) => ({ arn: l.arn, codeSize: l.codeSize, hash: CodeStore.hashOf(l) })) }
}
