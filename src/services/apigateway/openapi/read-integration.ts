// `x-amazon-apigateway-integration` as an integration: the document writes types and passthrough
// behaviours in lower case (`aws_proxy`, `when_no_match`) and keys responses by selection pattern
// (`default` for the one without), where PutIntegration keys them by status code.
import type * as T from '../generated/types.ts'
import type { IntegrationData } from '../store.ts'
import { type Json, objectAt, stringAt, stringMap } from '../../../core/openapi-document.ts'

export function readIntegration(raw: Json): IntegrationData {
  const integrationResponses: Record<string, T.IntegrationResponse> = {}
  for (const [pattern, value] of Object.entries(objectAt(raw.responses))) {
    const r = objectAt(value)
    const statusCode = stringAt(r.statusCode) ?? '200'
    integrationResponses[statusCode] = {
      statusCode, selectionPattern: pattern === 'default' ? undefined : pattern,
      responseParameters: stringMap(r.responseParameters), responseTemplates: stringMap(r.responseTemplates),
      contentHandling: stringAt(r.contentHandling)?.toUpperCase() as T.ContentHandlingStrategy | undefined,
    }
  }
  const type = (stringAt(raw.type) ?? '').toUpperCase()
  const tls = objectAt(raw.tlsConfig)
  return {
    type: type as T.IntegrationType, httpMethod: stringAt(raw.httpMethod)?.toUpperCase(), uri: stringAt(raw.uri),
    connectionType: stringAt(raw.connectionType)?.toUpperCase() as T.ConnectionType | undefined, connectionId: stringAt(raw.connectionId),
    credentials: stringAt(raw.credentials), requestParameters: stringMap(raw.requestParameters), requestTemplates: stringMap(raw.requestTemplates),
    passthroughBehavior: (stringAt(raw.passthroughBehavior) ?? 'when_no_match').toUpperCase(),
    cacheNamespace: stringAt(raw.cacheNamespace), cacheKeyParameters: Array.isArray(raw.cacheKeyParameters) ? raw.cacheKeyParameters.map(String) : [],
    contentHandling: stringAt(raw.contentHandling)?.toUpperCase() as T.ContentHandlingStrategy | undefined,
    timeoutInMillis: typeof raw.timeoutInMillis === 'number' ? raw.timeoutInMillis : 29_000,
    tlsConfig: typeof tls.insecureSkipVerification === 'boolean' ? { insecureSkipVerification: tls.insecureSkipVerification } : undefined,
    integrationResponses,
  }
}
