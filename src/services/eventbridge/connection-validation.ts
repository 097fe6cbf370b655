// Input checks for connections and API destinations. Model constraints (lengths, patterns, enums)
// are collected and reported together in Coral's "N validation errors detected: …; …" form [S];
// the service's own checks (auth block vs AuthorizationType, endpoint URL) come after.
import { ebErrors, type Violation } from './errors.ts'
import type * as T from './generated/types.ts'

/** Patterns as the model has them and AWS prints them [M][S]. */
export const patterns = {
  name: { test: /^[.\-_A-Za-z0-9]+$/, text: '[\\.\\-_A-Za-z0-9]+' },
  authHeader: { test: /^[ \t]*[^\x00-\x1F:\x7F]+([ \t]+[^\x00-\x1F:\x7F]+)*[ \t]*$/, text: '^[ \\t]*[^\\x00-\\x1F:\\x7F]+([ \\t]+[^\\x00-\\x1F:\\x7F]+)*[ \\t]*$' },
  https: { test: /^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@&=+$,A-Za-z0-9])+)([).!';/?:,])?$/, text: "^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$" },
  connectionArn: {
    test: /^arn:aws([a-z]|-)*:events:([a-z]|\d|-)*:([0-9]{12})?:connection\/[.\-_A-Za-z0-9]+\/[-A-Za-z0-9]+$/,
    text: '^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$',
  },
  headerKey: { test: /^[!#$%&'*+\-.^_`|~0-9a-zA-Z]+$/, text: "^[!#$%&'*+-.^_`|~0-9a-zA-Z]+$" },
  headerValue: { test: /^[ \t]*[\x20-\x7E]+([ \t]+[\x20-\x7E]+)*[ \t]*$/, text: '^[ \\t]*[\\x20-\\x7E]+([ \\t]+[\\x20-\\x7E]+)*[ \\t]*$' },
}

/** Enum sets in the order AWS's messages list them (a Java set's order) [S]. */
const enums = {
  authorizationType: ['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY'],
  httpMethod: ['HEAD', 'POST', 'PATCH', 'DELETE', 'PUT', 'GET', 'OPTIONS'],
  oauthMethod: ['GET', 'POST', 'PUT'], // order [R]
}

class Checker {
  readonly list: Violation[] = []
  text(value: string | undefined, path: string, min: number, max: number, pattern?: { test: RegExp; text: string }): void {
    if (value === undefined) return
    if (value.length > max) this.list.push({ value, path, constraint: `Member must have length less than or equal to ${max}` })
    else if (value.length < min) this.list.push({ value, path, constraint: `Member must have length greater than or equal to ${min}` })
    else if (pattern !== undefined && !pattern.test.test(value)) {
      this.list.push({ value, path, constraint: `Member must satisfy regular expression pattern: ${pattern.text}` })
    }
  }
  oneOf(value: string | undefined, path: string, set: string[]): void {
    if (value !== undefined && !set.includes(value)) this.list.push({ value, path, constraint: `Member must satisfy enum value set: [${set.join(', ')}]` })
  }
  min(value: number | undefined, path: string, min: number): void {
    if (value !== undefined && value < min) this.list.push({ value: String(value), path, constraint: `Member must have value greater than or equal to ${min}` })
  }
  params(params: T.ConnectionHttpParameters | undefined, path: string): void {
    if (params === undefined) return
    for (const [name, list] of [['HeaderParameters', params.HeaderParameters], ['QueryStringParameters', params.QueryStringParameters],
      ['BodyParameters', params.BodyParameters]] as const) {
      if ((list?.length ?? 0) > 100) this.list.push({ value: null, path: `${path}.${name}`, constraint: 'Member must have length less than or equal to 100' })
    }
    params.HeaderParameters?.forEach((p, i) => {
      this.text(p.Key, `${path}.HeaderParameters.${i + 1}.Key`, 0, 512, patterns.headerKey)
      this.text(p.Value, `${path}.HeaderParameters.${i + 1}.Value`, 0, 512, patterns.headerValue)
    })
    params.QueryStringParameters?.forEach((p, i) => {
      this.text(p.Key, `${path}.QueryStringParameters.${i + 1}.Key`, 0, 512)
      this.text(p.Value, `${path}.QueryStringParameters.${i + 1}.Value`, 0, 512)
    })
  }
  auth(auth: T.UpdateConnectionAuthRequestParameters | undefined): void {
    if (auth === undefined) return
    const at = 'AuthParameters'
    this.text(auth.BasicAuthParameters?.Username, `${at}.BasicAuthParameters.Username`, 1, 512, patterns.authHeader)
    this.text(auth.BasicAuthParameters?.Password, `${at}.BasicAuthParameters.Password`, 1, 512, patterns.authHeader)
    this.text(auth.ApiKeyAuthParameters?.ApiKeyName, `${at}.ApiKeyAuthParameters.ApiKeyName`, 1, 512, patterns.authHeader)
    this.text(auth.ApiKeyAuthParameters?.ApiKeyValue, `${at}.ApiKeyAuthParameters.ApiKeyValue`, 1, 512, patterns.authHeader)
    const oauth = auth.OAuthParameters
    this.text(oauth?.ClientParameters?.ClientID, `${at}.OAuthParameters.ClientParameters.ClientID`, 1, 512, patterns.authHeader)
    this.text(oauth?.ClientParameters?.ClientSecret, `${at}.OAuthParameters.ClientParameters.ClientSecret`, 1, 512, patterns.authHeader)
    this.text(oauth?.AuthorizationEndpoint, `${at}.OAuthParameters.AuthorizationEndpoint`, 1, 2048, patterns.https)
    this.oneOf(oauth?.HttpMethod, `${at}.OAuthParameters.HttpMethod`, enums.oauthMethod)
    this.params(oauth?.OAuthHttpParameters, `${at}.OAuthParameters.OAuthHttpParameters`)
    this.params(auth.InvocationHttpParameters, `${at}.InvocationHttpParameters`)
  }
  done(): void {
    if (this.list.length > 0) throw ebErrors.violations(this.list)
  }
}

/** The auth block each AuthorizationType needs. */
export const authBlock = {
  BASIC: 'BasicAuthParameters',
  API_KEY: 'ApiKeyAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
} as const satisfies Record<T.ConnectionAuthorizationType, keyof T.CreateConnectionAuthRequestParameters>

export function checkConnectionInput(input: T.CreateConnectionRequest | T.UpdateConnectionRequest): void {
  const check = new Checker()
  check.text(input.Name, 'Name', 1, 64, patterns.name)
  check.text(input.Description, 'Description', 0, 512)
  check.oneOf(input.AuthorizationType, 'AuthorizationType', enums.authorizationType)
  check.auth(input.AuthParameters)
  check.done()
}

/**
 * The AuthParameters must hold exactly the block of the AuthorizationType (and no other) [R: wording].
 * `partial` (UpdateConnection without a type change) only refuses blocks of another type.
 */
export function checkAuthBlocks(type: T.ConnectionAuthorizationType, auth: T.UpdateConnectionAuthRequestParameters, partial: boolean): void {
  const wanted = authBlock[type]
  for (const block of Object.values(authBlock)) {
    if (block !== wanted && auth[block] !== undefined) {
      throw ebErrors.validation(`${block} cannot be specified for AuthorizationType ${type}.`)
    }
  }
  if (!partial && auth[wanted] === undefined) throw ebErrors.validation(`${wanted} must be specified for AuthorizationType ${type}.`)
  const url = auth.OAuthParameters?.AuthorizationEndpoint
  if (url !== undefined) checkEndpointUrl(url, 'AuthParameters.OAuthParameters.AuthorizationEndpoint')
}

export function checkApiDestinationInput(input: T.CreateApiDestinationRequest | T.UpdateApiDestinationRequest): void {
  const check = new Checker()
  check.text(input.Name, 'Name', 1, 64, patterns.name)
  check.text(input.Description, 'Description', 0, 512)
  check.text(input.ConnectionArn, 'ConnectionArn', 1, 1600, patterns.connectionArn)
  check.text(input.InvocationEndpoint, 'InvocationEndpoint', 1, 2048, patterns.https)
  check.oneOf(input.HttpMethod, 'HttpMethod', enums.httpMethod)
  check.min(input.InvocationRateLimitPerSecond, 'InvocationRateLimitPerSecond', 1)
  check.done()
  if (input.InvocationEndpoint !== undefined) checkEndpointUrl(input.InvocationEndpoint, 'InvocationEndpoint')
}

/**
 * The endpoint must be an absolute URL. AWS requires HTTPS [D]; Nimbus also accepts plain HTTP so
 * tests can point at a local server (README, By design). Wording [R].
 */
function checkEndpointUrl(value: string, name: string): void {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    throw ebErrors.invalidParameter(name, 'Invalid HTTPS endpoint URL.')
  }
}
