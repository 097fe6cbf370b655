// The event-pattern engine shared by EventBridge rules, SNS filter policies and Lambda filter
// criteria. Services import from here only.
export { compilePattern, type CompiledPattern } from './compile.ts'
export { DIALECTS, isDialect, type Dialect, type DialectRules } from './dialects.ts'
export { PatternError, isPatternError, patternAwsError, type PatternErrorKind, type ToAwsErrorOptions } from './errors.ts'
export { PatternIndex } from './pattern-index.ts'
export { lambdaFilterEvent, snsAttributesToEvent, type LambdaRecordSource, type SnsAttribute } from './sources.ts'
export { testEventPattern } from './test-event-pattern.ts'
