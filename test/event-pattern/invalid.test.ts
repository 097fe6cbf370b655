// Invalid patterns and the reason AWS gives, per dialect.
import { bad, invalidTable } from './table.ts'

const structure = [
  bad('not JSON', "{'a': 1}", 'Filter is not valid JSON'),
  bad('a JSON array', '["a"]', 'Filter is not an object'),
  bad('a JSON string', '"a"', 'Filter is not an object'),
  bad('a bare string leaf', { int: 'a' }, '"int" must be an object or an array'),
  bad('a bare number leaf', { int: 5 }, '"int" must be an object or an array'),
  bad('a null leaf', { a: null }, '"a" must be an object or an array'),
  bad('a nested bare leaf', { detail: { state: 'x' } }, '"state" must be an object or an array'),
  bad('an empty array', { a: [] }, 'Empty arrays are not allowed'),
  bad('a nested empty array', { a: { b: [] } }, 'Empty arrays are not allowed'),
  bad('a nested empty object', { a: {} }, 'Empty objects are not allowed'),
  bad('an array inside the value array', { a: [['x']] }, 'Match value must be String, number, true, false, or null'),
  bad('$or not an array', { $or: { a: ['1'] } }, 'It must be an Array followed with $or.'),
  bad('$or with one option', { $or: [{ a: ['1'] }] }, 'There must have at least 2 Objects in $or relationship.'),
  bad('$or empty', { $or: [] }, 'There must have at least 2 Objects in $or relationship.'),
  bad('$or with a non-object', { $or: [{ a: ['1'] }, 'b'] }, 'Only JSON object is allowed in array of $or relationship.'),
  bad('$or with an empty option', { $or: [{ a: ['1'] }, {}] }, 'Empty objects are not allowed'),
  bad('an operator name as a field inside $or', { $or: [{ numeric: ['1'] }, { b: ['1'] }] }, 'numeric is Ruler reserved fieldName which cannot be used inside $or.'),
]

const operators = [
  bad('an empty match expression', { a: [{}] }, 'Match expression name not found'),
  bad('an unknown operator', { a: [{ regex: 'x' }] }, 'Unrecognized match type regex'),
  bad('operator names are case-sensitive', { a: [{ NUMERIC: ['>', 1] }] }, 'Unrecognized match type NUMERIC'),
  bad('two operators in one object', { a: [{ prefix: 'a', suffix: 'b' }] }, 'Only one key allowed in match expression'),
  bad('prefix not a string', { a: [{ prefix: 1 }] }, 'prefix match pattern must be a string'),
  bad('prefix null', { a: [{ prefix: null }] }, 'prefix match pattern must be a string'),
  bad('suffix not a string', { a: [{ suffix: ['x'] }] }, 'suffix match pattern must be a string'),
  bad('equals-ignore-case not a string', { a: [{ 'equals-ignore-case': 5 }] }, 'equals-ignore-case match pattern must be a string'),
  bad('exists not a boolean', { a: [{ exists: 'true' }] }, 'exists match pattern must be either true or false.'),
  bad('exists null', { a: [{ exists: null }] }, 'exists match pattern must be either true or false.'),
  bad('numeric not an array', { a: [{ numeric: 5 }] }, 'Value of numeric must be an array.'),
  bad('numeric empty', { a: [{ numeric: [] }] }, 'Invalid member in numeric match: ]'),
  bad('numeric starting with a number', { a: [{ numeric: [5, '>'] }] }, 'Invalid member in numeric match: 5'),
  bad('numeric unknown operator', { a: [{ numeric: ['!=', 5] }] }, 'Unrecognized numeric range operator: !='),
  bad('numeric value a string', { a: [{ numeric: ['<', '5'] }] }, 'Value of < must be numeric'),
  bad('numeric = value a string', { a: [{ numeric: ['=', 'x'] }] }, 'Value of equals must be numeric'),
  bad('numeric missing value', { a: [{ numeric: ['>='] }] }, 'Value of >= must be numeric'),
  bad('numeric two lower bounds', { a: [{ numeric: ['>', 0, '>', 5] }] }, 'Bad numeric range operator: >'),
  bad('numeric upper bound first', { a: [{ numeric: ['<', 5, '>', 0] }] }, 'Too many elements in numeric expression'),
  bad('numeric = with more', { a: [{ numeric: ['=', 5, '<', 6] }] }, 'Too many elements in numeric expression'),
  bad('numeric bad second operator type', { a: [{ numeric: ['>', 0, 5] }] }, 'Bad value in numeric range: 5'),
  bad('numeric second value a string', { a: [{ numeric: ['>', 0, '<', 'x'] }] }, 'Value of < must be numeric'),
  bad('numeric too many terms', { a: [{ numeric: ['>', 0, '<', 5, '<', 6] }] }, 'Too many terms in numeric range expression'),
  bad('numeric bottom above top', { a: [{ numeric: ['>', 10, '<', 5] }] }, 'Bottom must be less than top'),
  bad('numeric bottom equal to top', { a: [{ numeric: ['>=', 5, '<=', 5] }] }, 'Bottom must be less than top'),
  bad('numeric and another key', { a: [{ numeric: ['>', 0], prefix: 'x' }] }, 'Too many elements in numeric expression'),
  bad('anything-but null', { a: [{ 'anything-but': null }] }, 'Value of anything-but must be an array or single string/number value.'),
  bad('anything-but boolean', { a: [{ 'anything-but': true }] }, 'Value of anything-but must be an array or single string/number value.'),
  bad('anything-but list with null', { a: [{ 'anything-but': ['a', null] }] }, 'Inside anything but list, start|null|boolean is not supported.'),
  bad('anything-but list with an object', { a: [{ 'anything-but': [{ prefix: 'a' }] }] }, 'Inside anything but list, start|null|boolean is not supported.'),
  bad('anything-but mixed list', { a: [{ 'anything-but': ['a', 1] }] }, 'Inside anything but list, either all values are number or string, mixed type is not supported'),
  bad('anything-but empty list', { a: [{ 'anything-but': [] }] }, 'Inside anything but list, either all values are number or string, mixed type is not supported'),
  bad('anything-but empty object', { a: [{ 'anything-but': {} }] }, 'Anything-But expression name not found'),
  bad('anything-but with numeric', { a: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'Unsupported anything-but pattern: numeric'),
  bad('anything-but with exists', { a: [{ 'anything-but': { exists: true } }] }, 'Unsupported anything-but pattern: exists'),
  bad('anything-but and another key', { a: [{ 'anything-but': 'x', prefix: 'y' }] }, 'Too many elements in numeric expression'),
  bad('cidr not a string', { a: [{ cidr: 10 }] }, 'prefix match pattern must be a string'),
  bad('cidr without a slash', { a: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"),
  bad('cidr with two slashes', { a: [{ cidr: '10.0.0.0/8/8' }] }, "Malformed CIDR, one '/' required"),
  bad('cidr with a trailing slash', { a: [{ cidr: '10.0.0.0/' }] }, "Malformed CIDR, one '/' required"),
  bad('cidr mask not a number', { a: [{ cidr: '10.0.0.0/x' }] }, 'Malformed CIDR, mask bits must be an integer'),
  bad('cidr negative mask', { a: [{ cidr: '10.0.0.0/-1' }] }, 'Malformed CIDR, mask bits must not be negative'),
  bad('cidr not an IP', { a: [{ cidr: 'foo/24' }] }, 'Nonstandard IP address: foo'),
  bad('cidr octet too big', { a: [{ cidr: '10.0.0.256/24' }] }, 'Invalid IP address: 10.0.0.256'),
  bad('cidr IPv4 mask too big', { a: [{ cidr: '10.0.0.0/33' }] }, 'IPv4 mask bits must be < 32'),
  bad('cidr IPv6 mask too big', { a: [{ cidr: '2001:db8::/129' }] }, 'IPv6 mask bits must be < 128'),
]

// EventBridge and SNS (anything-but prefix).
const anythingButPrefix = [
  bad('anything-but prefix empty', { a: [{ 'anything-but': { prefix: '' } }] }, 'Null prefix/suffix not allowed'),
  bad('anything-but prefix number', { a: [{ 'anything-but': { prefix: 5 } }] }, 'prefix/suffix match pattern must be a string'),
  bad('anything-but prefix null', { a: [{ 'anything-but': { prefix: null } }] }, 'Value of anything-but must be an array or single string/number value.'),
]

// EventBridge and Lambda ({prefix: {equals-ignore-case}}).
const affixIgnoreCase = [
  bad('prefix object with another operator', { a: [{ prefix: { suffix: 'x' } }] }, 'Unsupported prefix pattern: suffix'),
  bad('prefix ignore-case not a string', { a: [{ prefix: { 'equals-ignore-case': 1 } }] }, 'equals-ignore-case match pattern must be a string'),
  bad('prefix empty object', { a: [{ prefix: {} }] }, 'Prefix expression name not found'),
]

const numbers = (limit: string, decimals: number) => [
  bad('numeric value above the limit', { a: [{ numeric: ['<', 1e10] }] }, `Value must be between -${limit} and ${limit}, inclusive`),
  bad('numeric value below the limit', { a: [{ numeric: ['>', -1e10] }] }, `Value must be between -${limit} and ${limit}, inclusive`),
  bad('numeric value with too many decimals', { a: [{ numeric: ['=', 1.1234567] }] }, `Only values upto ${decimals} decimals are supported`),
  bad('anything-but number above the limit', { a: [{ 'anything-but': 1e10 }] }, `Value must be between -${limit} and ${limit}, inclusive`),
]

const eventBusOnly = [
  bad('wildcard not a string', { a: [{ wildcard: 5 }] }, 'wildcard match pattern must be a string'),
  bad('consecutive wildcards', { a: [{ wildcard: 'a**' }] }, 'Consecutive wildcard characters at pos 2'),
  bad('consecutive wildcards at the start', { a: [{ wildcard: '**a' }] }, 'Consecutive wildcard characters at pos 1'),
  bad('a bad escape in a wildcard', { a: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 2'),
  bad('a trailing backslash in a wildcard', { a: [{ wildcard: 'ab\\' }] }, 'Invalid escape character at pos 3'),
  bad('too many repeating wildcards', { a: [{ wildcard: '*a*a*a*a*a*a*' }] }, 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character'),
  bad('too many wildcard patterns on one field', { key: [{ wildcard: '*/datasync/*.bif' }, { wildcard: '*/datasync/*.tif' }, { wildcard: '*/datasync/*.tiff' }, { wildcard: '*/datasync/*.svs' }] },
    'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character'),
  bad('anything-but wildcard with consecutive stars', { a: [{ 'anything-but': { wildcard: 'x**' } }] }, 'Consecutive wildcard characters at pos 2'),
  bad('anything-but wildcard number', { a: [{ 'anything-but': { wildcard: 5 } }] }, 'wildcard match pattern must be a string'),
  bad('anything-but equals-ignore-case number', { a: [{ 'anything-but': { 'equals-ignore-case': 5 } }] }, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'),
  bad('anything-but equals-ignore-case list with a number', { a: [{ 'anything-but': { 'equals-ignore-case': ['a', 5] } }] }, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'),
  bad('anything-but suffix empty', { a: [{ 'anything-but': { suffix: '' } }] }, 'Null prefix/suffix not allowed'),
  bad('anything-but suffix list with a number', { a: [{ 'anything-but': { suffix: ['.a', 1] } }] }, 'prefix/suffix match pattern must be a string'),
  bad('anything-but inner extra key', { a: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] }, 'Too many elements in numeric expression'),
]

invalidTable('invalid patterns: EventBridge structure', 'eventbridge', [...structure, bad('an empty pattern', {}, 'Empty objects are not allowed')])
invalidTable('invalid patterns: EventBridge operators', 'eventbridge', [...operators, ...anythingButPrefix, ...affixIgnoreCase, ...numbers('5.0E9', 6), ...eventBusOnly])
invalidTable('invalid patterns: Lambda filter criteria', 'lambda-filter', [
  ...structure, ...operators, ...affixIgnoreCase, ...numbers('5.0E9', 6),
  bad('an empty pattern', {}, 'Empty objects are not allowed'),
  bad('wildcard is event-bus only', { a: [{ wildcard: '*' }] }, 'Unrecognized match type wildcard'),
  bad('anything-but prefix is event-bus only', { a: [{ 'anything-but': { prefix: 'a' } }] }, 'Unsupported anything-but pattern: prefix'),
  bad('anything-but suffix is event-bus only', { a: [{ 'anything-but': { suffix: 'a' } }] }, 'Unsupported anything-but pattern: suffix'),
  bad('anything-but equals-ignore-case is event-bus only', { a: [{ 'anything-but': { 'equals-ignore-case': 'a' } }] }, 'Unsupported anything-but pattern: equals-ignore-case'),
])
const snsOnly = [
  bad('wildcard is not an SNS operator', { a: [{ wildcard: '*' }] }, 'Unrecognized match type wildcard'),
  bad('anything-but suffix', { a: [{ 'anything-but': { suffix: 'a' } }] }, 'Unsupported anything-but pattern: suffix'),
  bad('anything-but wildcard', { a: [{ 'anything-but': { wildcard: 'a' } }] }, 'Unsupported anything-but pattern: wildcard'),
  bad('anything-but exists', { a: [{ 'anything-but': { exists: true } }] }, 'Unsupported anything-but pattern: exists'),
  bad('prefix with equals-ignore-case', { a: [{ prefix: { 'equals-ignore-case': 'a' } }] }, 'prefix match pattern must be a string'),
  bad('more than 5 keys', { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }, 'Filter policy can not have more than 5 keys'),
  bad('more than 150 combinations', { a: Array.from({ length: 10 }, (_, i) => `${i}`), b: Array.from({ length: 16 }, (_, i) => `${i}`) }, 'Filter policy is too complex'),
]
invalidTable('invalid policies: SNS MessageAttributes scope', 'sns-attributes', [
  ...structure.filter((t) => !JSON.stringify(t.pattern).includes('{"b"') && !t.name.includes('nested')),
  ...operators, ...anythingButPrefix, ...numbers('1.0E9', 5), ...snsOnly,
  bad('a nested policy', { a: { b: ['1'] } }, 'Filter policy scope MessageAttributes does not support nested filter policy'),
])
invalidTable('invalid policies: SNS MessageBody scope', 'sns-body', [
  ...structure, ...operators, ...anythingButPrefix, ...numbers('1.0E9', 5), ...snsOnly,
  bad('nested combinations count key depth', { a: { b: { c: ['1', '2', '3', '4', '5'] } }, d: { e: Array.from({ length: 6 }, (_, i) => `${i}`) } }, 'Filter policy is too complex'),
])
