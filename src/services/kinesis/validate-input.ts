// AWS's front-end validation of a Kinesis request against the model's constraints (lengths, ranges,
// patterns, enums), worded as Coral words it — shared with Firehose, in src/protocol/coral-validation.ts.
export { validateCoralInput as validateInput } from '../../protocol/coral-validation.ts'
