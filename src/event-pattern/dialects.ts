// The one place where EventBridge rules, SNS filter policies and Lambda filter criteria differ.
// The matcher is shared (AWS runs the same Event Ruler engine behind all three); what changes is
// which operators a dialect accepts, its numeric limits and its structural limits.

export type Dialect = 'eventbridge' | 'sns-attributes' | 'sns-body' | 'lambda-filter'

/** Operators a match-expression object may name (`[{"prefix": "a"}]`). */
export type Operator =
  | 'prefix' | 'suffix' | 'equals-ignore-case' | 'anything-but' | 'numeric' | 'exists' | 'cidr' | 'wildcard'

/** What `anything-but` may wrap besides plain values: `{"anything-but": {"prefix": "x"}}`. */
export type AnythingButOperator = 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard'

export interface DialectRules {
  readonly operators: ReadonlySet<Operator>
  readonly anythingBut: ReadonlySet<AnythingButOperator>
  /** `{"prefix": {"equals-ignore-case": "x"}}` and the suffix form. */
  readonly prefixSuffixIgnoreCase: boolean
  /** Nested objects in the pattern. SNS attribute scope is flat: attributes have no structure. */
  readonly nesting: boolean
  /** `{}`: Event Ruler says "Empty objects are not allowed"; SNS treats an empty policy as "accept all". */
  readonly emptyPatternMatchesAll: boolean
  /** Numbers in `numeric` / `anything-but` must lie within ±numericLimit … */
  readonly numericLimit: number
  /** … with at most this many decimal places. */
  readonly numericDecimals: number
  /** Top-level keys (SNS: "Filter policy can not have more than 5 keys"). */
  readonly maxKeys: number | undefined
  /** Product of value-array sizes (SNS: "Filter policy is too complex"). */
  readonly maxCombinations: number | undefined
  /** Length of the pattern text. EventBridge / Lambda: 4,096 chars (model); SNS: 256 KB. */
  readonly maxPatternLength: number
  /** Event Ruler's wildcard machine-complexity cap (only dialects with `wildcard`). */
  readonly wildcardComplexityLimit: number
}

const ALL_OPERATORS: ReadonlySet<Operator> = new Set<Operator>([
  'prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'cidr', 'wildcard',
])

// SNS documents no wildcard operator; `anything-but` takes only plain values and `prefix`
// ("Unsupported anything-but pattern: suffix" is recorded against AWS).
const SNS_OPERATORS: ReadonlySet<Operator> = new Set<Operator>([
  'prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'cidr',
])

const sns = {
  operators: SNS_OPERATORS,
  anythingBut: new Set<AnythingButOperator>(['prefix']),
  prefixSuffixIgnoreCase: false,
  emptyPatternMatchesAll: true,
  // SNS documents "numbers between -10^9 and 10^9, with 5 digits of accuracy after the decimal point".
  numericLimit: 1e9,
  numericDecimals: 5,
  maxKeys: 5,
  maxCombinations: 150,
  maxPatternLength: 256 * 1024,
  wildcardComplexityLimit: 0,
} as const

/** EventBridge rules: every operator (Lambda filters are EventBridge's minus a few, below). */
const eventbridge: DialectRules = {
  operators: ALL_OPERATORS,
  anythingBut: new Set<AnythingButOperator>(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']),
  prefixSuffixIgnoreCase: true,
  nesting: true,
  emptyPatternMatchesAll: false,
  // Event Ruler's ComparableNumber: -5e9…5e9, six decimal places.
  numericLimit: 5e9,
  numericDecimals: 6,
  maxKeys: undefined,
  maxCombinations: undefined,
  maxPatternLength: 4096,
  wildcardComplexityLimit: 10,
}

export const DIALECTS: Readonly<Record<Dialect, DialectRules>> = {
  eventbridge,
  'sns-attributes': { ...sns, nesting: false },
  'sns-body': { ...sns, nesting: true },
  // Lambda filters follow the "Pipe support" column of AWS's operator table: no wildcard and no
  // anything-but with prefix/suffix/equals-ignore-case/wildcard.
  'lambda-filter': {
    ...eventbridge,
    operators: new Set<Operator>(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'cidr']),
    anythingBut: new Set<AnythingButOperator>(),
  },
}

export function isDialect(value: unknown): value is Dialect {
  return typeof value === 'string' && Object.hasOwn(DIALECTS, value)
}
