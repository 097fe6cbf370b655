// AWS's gateway response types with their default status codes ("Gateway response types for API
// Gateway"), the default response every type has until PutGatewayResponse customises it, and which
// response applies to an answer of a type: its own customised one, else the customised DEFAULT_4XX or
// DEFAULT_5XX of its class.
import type * as T from '../generated/types.ts'

/** Every type and its default status (DEFAULT_4XX and DEFAULT_5XX have none), in AWS's documented order. */
export const defaultStatus: Record<T.GatewayResponseType, string | undefined> = {
  ACCESS_DENIED: '403', API_CONFIGURATION_ERROR: '500', AUTHORIZER_CONFIGURATION_ERROR: '500', AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_PARAMETERS: '400', BAD_REQUEST_BODY: '400', DEFAULT_4XX: undefined, DEFAULT_5XX: undefined, EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504', INTEGRATION_TIMEOUT: '504', INVALID_API_KEY: '403', INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403', QUOTA_EXCEEDED: '429', REQUEST_TOO_LARGE: '413', RESOURCE_NOT_FOUND: '404', THROTTLED: '429',
  UNAUTHORIZED: '401', UNSUPPORTED_MEDIA_TYPE: '415', WAF_FILTERED: '403',
}

export const isResponseType = (type: string): type is T.GatewayResponseType => Object.hasOwn(defaultStatus, type)

/** The body template of every default gateway response. */
export const defaultTemplate = '{"message":$context.error.messageString}'

/** How GetGatewayResponse shows a type nobody customised. */
export function defaultResponse(type: T.GatewayResponseType): T.GatewayResponse {
  return {
    responseType: type, ...(defaultStatus[type] !== undefined && { statusCode: defaultStatus[type] }),
    responseParameters: {}, responseTemplates: { 'application/json': defaultTemplate }, defaultResponse: true,
  }
}

/** The customised response an answer of `type` with `status` gets, if any: its own, else its class's default one. */
export function customisedFor(type: string, status: number, responses: Record<string, T.GatewayResponse>): { own: boolean; response: T.GatewayResponse } | undefined {
  const own = responses[type]
  if (own !== undefined) return { own: true, response: own }
  const fallback = status >= 500 ? responses['DEFAULT_5XX'] : status >= 400 ? responses['DEFAULT_4XX'] : undefined
  return fallback === undefined ? undefined : { own: false, response: fallback }
}
