// The function a Lambda integration's or authorizer's URI names
// (`arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations`, also with
// the `path//` form of AWS's tutorials), with `${stageVariables.x}` filled from the serving stage.
const lambdaUri = /^arn:aws[\w-]*:apigateway:[\w-]+:lambda:path\/\/?2015-03-31\/functions\/(arn:[^/]+)\/invocations$/

/** Function ARNs of URIs without stage variables, parsed once per URI (bounded: started over past 1024). */
const parsedUris = new Map<string, string | undefined>()

/** The function ARN `uri` names for a stage with these variables, or undefined when it names none. */
export function lambdaFunctionArn(uri: string, variables: Record<string, string>): string | undefined {
  if (uri.includes('${')) return lambdaUri.exec(uri.replace(/\$\{stageVariables\.([\w]+)\}/g, (_, name: string) => variables[name] ?? ''))?.[1]
  let arn = parsedUris.get(uri)
  if (arn === undefined && !parsedUris.has(uri)) {
    if (parsedUris.size >= 1024) parsedUris.clear()
    arn = lambdaUri.exec(uri)?.[1]
    parsedUris.set(uri, arn)
  }
  return arn
}
