// The function an HTTP or WebSocket API's Lambda integration or authorizer URI names, given as a Lambda
// ARN or inside apigateway's invocation URI, with `${stageVariables.x}` filled from the serving stage.
/**
 * `arn:aws:lambda:…:function:name[:qualifier]` as given, or inside the apigateway invocation URI
 * (`…:lambda:path/2015-03-31/functions/{arn}/invocations`, also `path//` as some of AWS's tutorials write it).
 */
export function functionArn(uri: string): string | undefined {
  const inner = /^arn:aws[\w-]*:apigateway:[\w-]+:lambda:path\/\/?2015-03-31\/functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1]
  const arn = inner ?? uri
  return /^arn:aws[\w-]*:lambda:/.test(arn) ? arn : undefined
}

/** `${stageVariables.x}` in an integration URI, from the serving stage (an unset one is empty). */
export const withStageVariables = (uri: string, variables: Record<string, string>): string =>
  uri.includes('${') ? uri.replace(/\$\{stageVariables\.(\w+)\}/g, (_, name: string) => variables[name] ?? '') : uri
