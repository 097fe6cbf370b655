// A connection: how EventBridge authorizes against an API destination's endpoint (Basic, API key or
// OAuth client credentials) plus extra header/query/body parameters for every invocation. On AWS the
// secret half lives in a Secrets Manager secret `events!connection/<name>/<uuid>` [D][S]; here it
// stays in memory and only its ARN is shown. Describe never returns passwords, API-key values, client
// secrets or parameter values marked secret [S].
import { randomBytes, randomUUID } from 'node:crypto'
import type * as T from './generated/types.ts'

export type AuthParameters = T.CreateConnectionAuthRequestParameters

/** Where a durable connection writes (EbRows; an interface here keeps the two files from importing each other). */
export interface ConnectionRows {
  connection(connection: Connection): void
}

export class Connection {
  readonly name: string
  readonly account: string
  readonly region: string
  readonly arn: string
  readonly secretArn: string
  readonly createdAt: number
  description: string | undefined
  kmsKeyIdentifier: string | undefined
  type: T.ConnectionAuthorizationType
  /** With the secrets: what requests are built from. */
  auth: AuthParameters
  state: T.ConnectionState
  stateReason: string | undefined
  modifiedAt: number
  authorizedAt: number
  /** The OAuth access token, once fetched from the AuthorizationEndpoint. */
  token: string | undefined
  /** Bumped whenever the credentials change, so a token fetched for older ones is dropped. */
  generation = 0
  private readonly rows: ConnectionRows | undefined

  /** Writes the connection's row, secrets and authorization state included (data dir only). */
  save(): void {
    this.rows?.connection(this)
  }

  constructor(init: { name: string; account: string; region: string; now: number; type: T.ConnectionAuthorizationType;
    auth: AuthParameters; description?: string; kmsKeyIdentifier?: string; arn?: string; secretArn?: string; rows?: ConnectionRows }) {
    this.name = init.name
    this.account = init.account
    this.region = init.region
    this.rows = init.rows
    this.arn = init.arn ?? `arn:aws:events:${init.region}:${init.account}:connection/${init.name}/${randomUUID()}`
    // `<uuid>-<6 characters>`: Secrets Manager's random suffix on every secret ARN [S].
    this.secretArn = init.secretArn
      ?? `arn:aws:secretsmanager:${init.region}:${init.account}:secret:events!connection/${init.name}/${randomUUID()}-${secretSuffix()}`
    this.createdAt = init.now
    this.modifiedAt = init.now
    this.authorizedAt = init.now
    this.description = init.description
    this.kmsKeyIdentifier = init.kmsKeyIdentifier
    this.type = init.type
    this.auth = init.auth
    this.state = 'AUTHORIZED'
    this.resetAuthorization(init.now)
  }

  /**
   * Basic and API-key connections are usable at once (AUTHORIZED); OAuth ones are AUTHORIZING until
   * a token has been fetched [S: CreateConnection answers AUTHORIZING for OAuth].
   */
  resetAuthorization(now: number): void {
    this.generation += 1
    this.token = undefined
    this.stateReason = undefined
    this.modifiedAt = now
    this.authorizedAt = now
    this.state = this.type === 'OAUTH_CLIENT_CREDENTIALS' ? 'AUTHORIZING' : 'AUTHORIZED'
  }

  /** DeauthorizeConnection: the secret's credentials are removed; the connection can be updated with new ones [D]. */
  deauthorize(now: number): void {
    const { BasicAuthParameters: basic, ApiKeyAuthParameters: key, OAuthParameters: oauth } = this.auth
    this.auth = {
      ...this.auth,
      BasicAuthParameters: basic === undefined ? undefined : { ...basic, Password: '' },
      ApiKeyAuthParameters: key === undefined ? undefined : { ...key, ApiKeyValue: '' },
      OAuthParameters: oauth === undefined ? undefined : { ...oauth, ClientParameters: { ...oauth.ClientParameters, ClientSecret: '' } },
    }
    this.generation += 1
    this.token = undefined
    this.state = 'DEAUTHORIZED'
    this.modifiedAt = now
  }

  times() {
    return { CreationTime: new Date(this.createdAt), LastModifiedTime: new Date(this.modifiedAt), LastAuthorizedTime: new Date(this.authorizedAt) }
  }

  describe(): T.DescribeConnectionResponse {
    return {
      ConnectionArn: this.arn, Name: this.name, Description: this.description, ConnectionState: this.state,
      StateReason: this.stateReason, AuthorizationType: this.type, SecretArn: this.secretArn,
      KmsKeyIdentifier: this.kmsKeyIdentifier, AuthParameters: publicAuth(this.auth), ...this.times(),
    }
  }

  summary(): T.Connection {
    return { ConnectionArn: this.arn, Name: this.name, ConnectionState: this.state, StateReason: this.stateReason,
      AuthorizationType: this.type, ...this.times() }
  }
}

/** The auth parameters without their secrets, as DescribeConnection shows them [S]. */
function publicAuth(auth: AuthParameters): T.ConnectionAuthResponseParameters {
  const { BasicAuthParameters: basic, ApiKeyAuthParameters: key, OAuthParameters: oauth, InvocationHttpParameters: invocation } = auth
  return {
    BasicAuthParameters: basic === undefined ? undefined : { Username: basic.Username },
    ApiKeyAuthParameters: key === undefined ? undefined : { ApiKeyName: key.ApiKeyName },
    OAuthParameters: oauth === undefined ? undefined : {
      ClientParameters: { ClientID: oauth.ClientParameters.ClientID }, AuthorizationEndpoint: oauth.AuthorizationEndpoint,
      HttpMethod: oauth.HttpMethod, OAuthHttpParameters: publicParameters(oauth.OAuthHttpParameters),
    },
    InvocationHttpParameters: publicParameters(invocation),
  }
}

/** Parameters marked IsValueSecret keep their key but lose their value [R]. */
function publicParameters(params: T.ConnectionHttpParameters | undefined): T.ConnectionHttpParameters | undefined {
  if (params === undefined) return undefined
  const hide = <P extends { Key?: string; Value?: string; IsValueSecret?: boolean }>(list: P[] | undefined) =>
    list?.map((p) => p.IsValueSecret === true ? { Key: p.Key, IsValueSecret: true } : { Key: p.Key, Value: p.Value, IsValueSecret: p.IsValueSecret ?? false })
  return { HeaderParameters: hide(params.HeaderParameters), QueryStringParameters: hide(params.QueryStringParameters),
    BodyParameters: hide(params.BodyParameters) }
}

function secretSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
  return [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('')
}

/** The connection's ARN parts: `…:connection/<name>/<uuid>`. */
export function connectionNameFromArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:events:[a-z0-9-]*:\d{12}:connection\/([.\-_A-Za-z0-9]+)\/[-A-Za-z0-9]+$/.exec(arn)?.[1]
}
