// Resource-policy decisions kept per holder (a stream, a consumer, an API's deployment) and per
// revision of its policy text: the text is parsed once a revision, and a decision made with it is
// remembered under two keys the caller picks (say, the action or resource, then who asks) — a hit is
// a WeakMap lookup, a string comparison and two Map lookups, nothing built. Whether a decision may be
// remembered is the caller's to know: it may only when nothing else it evaluates with varies between
// requests. `contextFree` tells, for a caller whose condition context does vary (an invoke URL's
// aws:SourceIp, aws:CurrentTime…), whether this document reads any of it.
import type { PolicyDocument } from './document.ts'
import type { Decision } from './evaluate.ts'

/** A revision's decisions beyond this many key pairs start over (bounded memory). */
export const MAX_DECISIONS = 1024

/** One revision of a holder's policy: its parsed document and the decisions made with it. */
export class PolicyRevision {
  readonly text: string
  /** Undefined when the text doesn't parse (the caller decides what that grants: nothing, as a rule). */
  readonly document: PolicyDocument | undefined
  /**
   * The document's decisions depend on the principal, action and resource alone: no statement has a
   * Condition, and no Resource or NotResource holds a policy variable (`${…}`).
   */
  readonly contextFree: boolean
  private decisions = new Map<string, Map<string, Decision>>()
  private size = 0
  private readonly max: number

  constructor(text: string, document: PolicyDocument | undefined, max = MAX_DECISIONS) {
    this.text = text
    this.document = document
    this.contextFree = document !== undefined && document.Statement.every((s) => s.Condition === undefined &&
      !(s.Resource ?? []).some(hasVariable) && !(s.NotResource ?? []).some(hasVariable))
    this.max = max
  }

  get(first: string, second: string): Decision | undefined {
    return this.decisions.get(first)?.get(second)
  }

  set(first: string, second: string, decision: Decision): void {
    if (this.size >= this.max) {
      this.decisions.clear()
      this.size = 0
    }
    let bySecond = this.decisions.get(first)
    if (bySecond === undefined) this.decisions.set(first, bySecond = new Map())
    if (!bySecond.has(second)) this.size++
    bySecond.set(second, decision)
  }
}

const hasVariable = (pattern: string): boolean => pattern.includes('${')

/** Each holder's current policy revision; a holder gone is forgotten with it (weakly held). */
export class PolicyDecisionCache<Holder extends object> {
  private readonly revisions = new WeakMap<Holder, PolicyRevision>()
  private readonly max: number

  constructor(max = MAX_DECISIONS) {
    this.max = max
  }

  /** The holder's revision for this text, if it is the one known (undefined: unknown or replaced — call `open`). */
  revision(holder: Holder, text: string): PolicyRevision | undefined {
    const known = this.revisions.get(holder)
    return known !== undefined && known.text === text ? known : undefined
  }

  /** A new revision of the holder's policy (its decisions so far forgotten). */
  open(holder: Holder, text: string, document: PolicyDocument | undefined): PolicyRevision {
    const revision = new PolicyRevision(text, document, this.max)
    this.revisions.set(holder, revision)
    return revision
  }
}
