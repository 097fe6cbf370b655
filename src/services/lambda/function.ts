// A Lambda function: $LATEST, published versions, aliases, and the settings that hang off it.
import { randomUUID } from 'node:crypto'
import type { StoredCode } from './code-store.ts'
import type * as T from './generated/types.ts'

export interface LayerRef {
  arn: string
  codeSize: number
  dir: string
}

/** One version's configuration and code. `$LATEST` changes in place; published versions never do. */
export interface FunctionVersion {
  version: string
  runtime: string | undefined
  handler: string | undefined
  role: string
  description: string
  timeout: number
  memorySize: number
  environment: Record<string, string>
  layers: LayerRef[]
  deadLetterTargetArn: string | undefined
  tracingMode: 'Active' | 'PassThrough'
  ephemeralStorage: number
  architectures: T.Architecture[]
  kmsKeyArn: string | undefined
  logFormat: T.LogFormat
  logGroup: string
  code: StoredCode
  lastModified: number
  revisionId: string
}

export interface Alias {
  name: string
  functionVersion: string
  description: string
  additionalVersionWeights: Record<string, number> | undefined
  revisionId: string
}

export interface PolicyStatement {
  Sid: string
  Effect: 'Allow'
  Principal: unknown
  Action: string
  Resource: string
  Condition?: Record<string, unknown>
}

export class LambdaFunction {
  /**
   * Tells this function from one deleted and created again under its name (queued async events stay
   * with theirs). Stored with the function, so a queued event restored at start finds it again.
   */
  readonly id: string
  readonly name: string
  readonly arn: string
  readonly account: string
  readonly region: string
  latest: FunctionVersion
  readonly versions = new Map<string, FunctionVersion>()
  readonly aliases = new Map<string, Alias>()
  readonly tags: Record<string, string> = {}
  private statements: readonly PolicyStatement[] = []
  /** `policyText`'s answer, dropped by `setPolicy` (the one way the policy changes). */
  private policyCache: { text: string | undefined } | undefined
  readonly eventInvokeConfigs = new Map<string, T.FunctionEventInvokeConfig>()
  reservedConcurrency: number | undefined
  /** The number PublishVersion gives next: never reused, even after a version is deleted (stored with the function). */
  nextVersion = 1

  constructor(name: string, account: string, region: string, latest: FunctionVersion, id: string = randomUUID()) {
    this.id = id
    this.name = name
    this.account = account
    this.region = region
    this.arn = `arn:aws:lambda:${region}:${account}:function:${name}`
    this.latest = latest
  }

  /**
   * The resource policy as GetPolicy answers it, undefined without statements. Serialised once per revision
   * (API Gateway asks on every request under --enforce-iam): the same string until the policy changes.
   */
  policyText(): string | undefined {
    this.policyCache ??= { text: this.statements.length === 0 ? undefined : JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: this.statements }) }
    return this.policyCache.text
  }

  /** The resource policy's statements (AddPermission's, in order). */
  get policy(): readonly PolicyStatement[] {
    return this.statements
  }

  /** Stores a new resource policy (AddPermission, RemovePermission, a restart's row): `policyText` follows it. */
  setPolicy(statements: readonly PolicyStatement[]): void {
    this.statements = [...statements]
    this.policyCache = undefined
  }

  /** Publishes $LATEST as a new version, unless the newest version already has the same code and configuration. */
  publish(description: string | undefined, now: number): FunctionVersion {
    const newest = [...this.versions.values()].at(-1)
    if (newest !== undefined && sameContent(newest, this.latest)) return newest
    const version: FunctionVersion = {
      ...this.latest, version: String(this.nextVersion++), description: description ?? this.latest.description,
      lastModified: now, revisionId: randomUUID(),
    }
    this.versions.set(version.version, version)
    return version
  }

  /** `$LATEST`, a version number or an alias name → the version it names (aliases follow their routing). */
  version(qualifier: string | undefined): FunctionVersion | undefined {
    if (qualifier === undefined || qualifier === '$LATEST') return this.latest
    if (/^\d+$/.test(qualifier)) return this.versions.get(qualifier)
    const alias = this.aliases.get(qualifier)
    return alias === undefined ? undefined : this.versions.get(routedVersion(alias)) ?? (alias.functionVersion === '$LATEST' ? this.latest : undefined)
  }

  qualifiedArn(qualifier: string): string {
    return `${this.arn}:${qualifier}`
  }
}

/** With additional version weights, an alias sends that share of invokes to the other version. */
function routedVersion(alias: Alias): string {
  let roll = Math.random()
  for (const [version, weight] of Object.entries(alias.additionalVersionWeights ?? {})) {
    if (roll < weight) return version
    roll -= weight
  }
  return alias.functionVersion
}

function sameContent(a: FunctionVersion, b: FunctionVersion): boolean {
  return a.code.sha256 === b.code.sha256 && a.runtime === b.runtime && a.handler === b.handler && a.timeout === b.timeout &&
    a.memorySize === b.memorySize && JSON.stringify(a.environment) === JSON.stringify(b.environment) &&
    JSON.stringify(a.layers.map((l) => l.arn)) === JSON.stringify(b.layers.map((l) => l.arn)) && a.role === b.role
}

/** Lambda's LastModified format: 2024-01-01T00:00:00.000+0000. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000')
}

export interface ConfigurationState {
  state?: T.State
  stateReasonCode?: T.StateReasonCode
  stateReason?: string
  lastUpdateStatus?: T.LastUpdateStatus
}

/** The FunctionConfiguration AWS returns for a version. */
export function toConfiguration(fn: LambdaFunction, v: FunctionVersion, state: ConfigurationState = {}): T.FunctionConfiguration {
  return {
    FunctionName: fn.name,
    FunctionArn: v.version === '$LATEST' ? fn.arn : fn.qualifiedArn(v.version),
    Runtime: v.runtime as T.Runtime | undefined,
    Role: v.role,
    Handler: v.handler,
    CodeSize: v.code.size,
    Description: v.description,
    Timeout: v.timeout,
    MemorySize: v.memorySize,
    LastModified: lambdaTimestamp(v.lastModified),
    CodeSha256: v.code.sha256,
    Version: v.version,
    Environment: Object.keys(v.environment).length > 0 ? { Variables: { ...v.environment } } : undefined,
    DeadLetterConfig: v.deadLetterTargetArn === undefined ? undefined : { TargetArn: v.deadLetterTargetArn },
    KMSKeyArn: v.kmsKeyArn,
    TracingConfig: { Mode: v.tracingMode },
    RevisionId: v.revisionId,
    Layers: v.layers.length > 0 ? v.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize })) : undefined,
    State: state.state ?? 'Active',
    StateReason: state.stateReason,
    StateReasonCode: state.stateReasonCode,
    LastUpdateStatus: state.lastUpdateStatus ?? 'Successful',
    PackageType: 'Zip',
    Architectures: v.architectures,
    EphemeralStorage: { Size: v.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: v.runtime === undefined ? undefined : {
      // The same ARN the runtime's INIT_START log line shows (AWS names builds by a hex id instead).
      RuntimeVersionArn: `arn:aws:lambda:${fn.region}::runtime:nimbus-${v.runtime}`,
    },
    LoggingConfig: { LogFormat: v.logFormat, LogGroup: v.logGroup },
  }
}
