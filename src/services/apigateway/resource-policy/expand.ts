// A REST API's resource policy as API Gateway saves it: the abbreviated resource `execute-api:/…`
// the guide's examples write becomes the full ARN `arn:aws:execute-api:{region}:{account}:{apiId}/…`
// (AWS: "API Gateway converts the abbreviated syntax to the full ARN when you save the policy"; on
// import too). CreateRestApi, UpdateRestApi `/policy`, ImportRestApi and PutRestApi store it so, and
// refuse one that doesn't parse (AWS's BadRequestException "Invalid policy document…").
import { parsePolicy, type PolicyDocument } from '../../../policy/document.ts'
import { isCidr, isConditionOperator } from '../../../policy/conditions.ts'
import { apiGatewayErrors } from '../errors.ts'

/** The policy text with every `"execute-api:/…"` string expanded; the rest of the text as written. */
export function expandPolicy(text: string | undefined, region: string, account: string, apiId: string): string | undefined {
  if (text === undefined || !text.includes('execute-api:/')) return text
  return text.replace(/"execute-api:\//g, `"arn:aws:execute-api:${region}:${account}:${apiId}/`)
}

/**
 * An (expanded) policy as a document, by IAM's grammar (throws MalformedPolicy) — except that a statement's
 * `Sid` needn't be IAM's alphanumeric one — with every condition operator one the evaluator knows, and
 * every IpAddress/NotIpAddress value an address or CIDR block.
 */
export function parseApiPolicy(text: string): PolicyDocument {
  const document = parsePolicy(text, 'resource', { anySid: true })
  for (const { Condition } of document.Statement) {
    for (const [operator, keys] of Object.entries(Condition ?? {})) {
      if (!isConditionOperator(operator)) throw new SyntaxError(`Unknown condition operator ${operator}`)
      // An address condition's values must be addresses or CIDR blocks (policy variables aside).
      const values = /^(ForAllValues:|ForAnyValue:)?(Not)?IpAddress(IfExists)?$/i.test(operator) ? Object.values(keys).flat() : []
      const bad = values.find((v) => !v.includes('${') && !isCidr(v))
      if (bad !== undefined) throw new SyntaxError(`${bad} is no IP address or CIDR block`)
    }
  }
  return document
}

/** [R: CloudFormation, Chalice and Terraform users quote it] AWS's answer to a policy it can't read. */
const invalidPolicy = () => apiGatewayErrors.badRequest('Invalid policy document. Please check the policy syntax and ensure that Principals are valid.')

/** Throws AWS's BadRequestException unless the (expanded) text parses; empty text removes the policy and passes. */
export function checkApiPolicy(text: string | undefined): void {
  if (text === undefined || text === '') return
  try {
    // Placeholders stand in for the API when the abbreviated form is checked before the API exists (imports).
    parseApiPolicy(expandPolicy(text, 'us-east-1', '000000000000', 'apiid')!)
  } catch {
    throw invalidPolicy()
  }
}

/** The policy as CreateRestApi and UpdateRestApi save it: expanded, and checked. */
export function savedPolicy(text: string | undefined, region: string, account: string, apiId: string): string | undefined {
  checkApiPolicy(text)
  return expandPolicy(text, region, account, apiId)
}
