// Functions and layers per account and region, and how a FunctionName parameter finds a function.
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import { lambdaErrors } from './errors.ts'
import type { LambdaFunction } from './function.ts'
import type { Layer } from './layer.ts'

export class RegionLambda {
  readonly functions = new Map<string, LambdaFunction>()
  readonly layers = new Map<string, Layer>()
}

export interface FunctionRef {
  name: string
  account: string | undefined
  region: string | undefined
  qualifier: string | undefined
}

const nameOnly = /^[a-zA-Z0-9-_]{1,64}$/
const withQualifier = /^([a-zA-Z0-9-_]{1,64}):(\$LATEST|[a-zA-Z0-9-_]+)$/
const partialArn = /^(\d{12}):function:([a-zA-Z0-9-_]{1,64})(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/
const fullArn = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]{1,64})(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/

/** How many parsed ARNs findByArn keeps (it starts over past that). */
const MAX_PARSED_ARNS = 1024

/** A FunctionName may be `name`, `name:qualifier`, `123456789012:function:name[:q]` or a full ARN. */
export function parseFunctionRef(text: string): FunctionRef | undefined {
  if (nameOnly.test(text)) return { name: text, account: undefined, region: undefined, qualifier: undefined }
  let m = withQualifier.exec(text)
  if (m !== null) return { name: m[1]!, account: undefined, region: undefined, qualifier: m[2] }
  m = partialArn.exec(text)
  if (m !== null) return { name: m[2]!, account: m[1], region: undefined, qualifier: m[3] }
  m = fullArn.exec(text)
  if (m !== null) return { name: m[3]!, account: m[2], region: m[1], qualifier: m[4] }
  return undefined
}

export class LambdaState {
  readonly regions = new AccountRegionStore(() => new RegionLambda())

  region(account: string, region: string): RegionLambda {
    return this.regions.get(account, region)
  }

  /** Finds the function a FunctionName names from the caller's account and region, and the qualifier to use. */
  resolve(text: string, qualifier: string | undefined, account: string, region: string): { fn: LambdaFunction; qualifier: string | undefined } {
    const ref = parseFunctionRef(text)
    if (ref === undefined) {
      throw lambdaErrors.validation([`Value '${text}' at 'functionName' failed to satisfy constraint: Member must satisfy ` +
        'regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?' +
        '(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?'])
    }
    if (ref.qualifier !== undefined && qualifier !== undefined && ref.qualifier !== qualifier) {
      throw lambdaErrors.invalidParameter('The derived qualifier from the function name does not match the specified qualifier.')
    }
    const acct = ref.account ?? account
    const reg = ref.region ?? region
    const fn = this.regions.peek(acct, reg)?.functions.get(ref.name)
    const q = ref.qualifier ?? qualifier
    if (fn === undefined) {
      throw lambdaErrors.functionNotFound(`arn:aws:lambda:${reg}:${acct}:function:${ref.name}${q === undefined ? '' : `:${q}`}`)
    }
    return { fn, qualifier: q }
  }

  /** ARNs parsed so far (four regular expressions each): the same few are invoked over and over. */
  private readonly arnRefs = new Map<string, FunctionRef | undefined>()

  /** An ARN's parts (`parseFunctionRef`), parsed once per ARN: its function (findByArn) and qualifier as invoked. */
  arnRef(arn: string): FunctionRef | undefined {
    let ref = this.arnRefs.get(arn)
    if (ref === undefined && !this.arnRefs.has(arn)) {
      if (this.arnRefs.size >= MAX_PARSED_ARNS) this.arnRefs.clear()
      ref = parseFunctionRef(arn)
      this.arnRefs.set(arn, ref)
    }
    return ref
  }

  findByArn(arn: string): LambdaFunction | undefined {
    const ref = this.arnRef(arn)
    if (ref?.account === undefined || ref.region === undefined) return undefined
    return this.regions.peek(ref.account, ref.region)?.functions.get(ref.name)
  }

  allFunctions(): LambdaFunction[] {
    return [...this.regions.all()].flatMap((r) => [...r.functions.values()])
  }

  clear(): void {
    this.regions.clear()
  }
}
