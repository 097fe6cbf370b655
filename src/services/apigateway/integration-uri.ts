// The checks PutIntegration (and an OpenAPI import) makes of an integration's `uri`, with AWS's
// messages: HTTP types need an http(s) URL, AWS types an `arn:aws:apigateway:{region}:{service}:
// path|action/…` ARN, and AWS_PROXY only reaches Lambda functions and Firehose streams.

/** AWS's message for a bad `uri` of this integration type, or undefined when it is acceptable. */
export function integrationUriProblem(type: string, uri: string): string | undefined {
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    // Stage variables may stand for any part of the URL (`http://${stageVariables.host}/x`).
    if (uri.includes('${stageVariables.')) return /^https?:\/\//i.test(uri) ? undefined : 'Invalid HTTP endpoint specified for URI'
    let url: URL
    try {
      url = new URL(uri)
    } catch {
      return 'Invalid HTTP endpoint specified for URI'
    }
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? undefined : 'Invalid HTTP endpoint specified for URI'
  }
  if (type === 'AWS' || type === 'AWS_PROXY') {
    const arn = /^arn:aws[\w-]*:apigateway:[^:]*:([^:]+):(.*)$/.exec(uri)
    if (arn === null) return 'Invalid ARN specified in the request'
    if (!/^(?:path|action)\//.test(arn[2]!)) return 'AWS ARN for integration must contain path or action'
    // The service part may carry a subdomain (`{bucket}.s3`); its last label names the service [R].
    const service = arn[1]!.split('.').at(-1)
    if (type === 'AWS_PROXY' && service !== 'lambda' && service !== 'firehose') {
      return "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations."
    }
  }
  return undefined
}
