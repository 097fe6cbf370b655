// How a REST API's `policy` reads back. AWS returns the policy minified with its quotes (and forward
// slashes) backslash-escaped — `{\"Version\":\"2012-10-17\",…}` — which Terraform's AWS provider
// unescapes before parsing (terraform-provider-aws#4211, #4606: "forward slashes in CIDR blocks, which
// the AWS API escapes"; localstack#3325 reported Terraform failing on a plain policy). SDK users who
// `JSON.parse` the text would fail on AWS's form, so Nimbus answers plain JSON by default and AWS's
// escaped form to Terraform (its User-Agent names it): both work unchanged (README, Client quirks).
import type { HttpRequest } from '../../../protocol/http.ts'
import type { OperationContext } from '../../service.ts'

/** The operations whose answer is a RestApi (GetRestApis: a page of them). */
const restApiOperations = new Set(['CreateRestApi', 'GetRestApi', 'GetRestApis', 'UpdateRestApi', 'ImportRestApi', 'PutRestApi'])

/** Requests (by their context) whose caller reads the policy as AWS writes it. */
const escapedCallers = new WeakSet<OperationContext>()

/** Notes a Terraform caller of a RestApi operation (the service's prepareInput hook). */
export function noteTerraform(operation: string, request: HttpRequest, ctx: OperationContext): void {
  if (restApiOperations.has(operation) && /terraform/i.test(request.headers['user-agent'] ?? '')) escapedCallers.add(ctx)
}

/** AWS's text: minified (when it parses) with `"` and `/` backslash-escaped. */
export function awsPolicyText(policy: string): string {
  let text = policy
  try {
    text = JSON.stringify(JSON.parse(policy))
  } catch {
    // Not JSON: escaped as it stands.
  }
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\//g, '\\/')
}

/** The operation's answer with its RestApis' policies as this caller reads them. */
export function shownPolicies<O>(operation: string, answer: O, ctx: OperationContext): O {
  if (!escapedCallers.has(ctx)) return answer
  const escape = (api: { policy?: string }) => (api.policy === undefined ? api : { ...api, policy: awsPolicyText(api.policy) })
  if (operation === 'GetRestApis') {
    const page = answer as { items?: { policy?: string }[] }
    return { ...page, items: page.items?.map(escape) } as O
  }
  return escape(answer as { policy?: string }) as O
}
