// What a pattern condition is tested against: one leaf value of the event.

/** A JSON scalar. Objects and arrays are never leaves: the event is flattened first. */
export type Leaf = string | number | boolean | null

/** The tests compiled from one field's array of conditions (ORed). */
export interface FieldTest {
  /** Dotted path: `detail.state`. A key with a dot in the event or pattern flattens the same way. */
  readonly path: string
  /** True if any condition matches this present value. */
  readonly test: (value: Leaf) => boolean
  /** `{"exists": false}` is among the conditions: the field matches when the path has no leaf. */
  readonly matchesAbsent: boolean
  /** Some condition can match a present value (false for a lone `{"exists": false}`). */
  readonly matchesPresent: boolean
  /** Set when every condition is a plain string: lets PatternIndex look the rule up by value. */
  readonly exactStrings: readonly string[] | undefined
  /** Wildcard patterns among the conditions, for the complexity check. */
  readonly wildcards: readonly string[]
}
