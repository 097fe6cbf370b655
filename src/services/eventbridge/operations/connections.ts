// CreateConnection, DescribeConnection, ListConnections, UpdateConnection, DeleteConnection,
// DeauthorizeConnection. Basic and API-key connections are AUTHORIZED at once; OAuth ones stay
// AUTHORIZING until an invocation fetched a token (then AUTHORIZED, or DEAUTHORIZED on failure).
import type { Operation } from '../../service.ts'
import { Connection, type AuthParameters } from '../connection.ts'
import { checkAuthBlocks, checkConnectionInput } from '../connection-validation.ts'
import type { EbContext } from '../context.ts'
import { ebErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { forgetToken } from '../oauth.ts'
import { page } from './common.ts'

export function connectionOperations(ctx: EbContext) {
  const { state, clock } = ctx
  const requireConnection = (verb: string, name: string, where: { account: string; region: string }) => {
    const connection = state.at(where).connections.get(name)
    if (connection === undefined) throw ebErrors.connectionNotFound(verb, name)
    return connection
  }
  const stateOf = (c: Connection) => ({ ConnectionArn: c.arn, ConnectionState: c.state, ...c.times() })

  const createConnection: Operation<T.CreateConnectionRequest, T.CreateConnectionResponse> = (input, { caller }) => {
    checkConnectionInput(input)
    checkAuthBlocks(input.AuthorizationType, input.AuthParameters, false)
    const region = state.at(caller)
    if (region.connections.has(input.Name)) throw ebErrors.connectionExists(input.Name)
    const connection = new Connection({ name: input.Name, account: caller.account, region: caller.region, now: clock.now(),
      type: input.AuthorizationType, auth: input.AuthParameters, description: input.Description, kmsKeyIdentifier: input.KmsKeyIdentifier,
      rows: state.rows })
    region.connections.set(connection.name, connection)
    connection.save()
    const { LastAuthorizedTime: _notYet, ...created } = stateOf(connection)
    return created
  }

  const describeConnection: Operation<T.DescribeConnectionRequest, T.DescribeConnectionResponse> = (input, { caller }) =>
    requireConnection('describe', input.Name, caller).describe()

  const listConnections: Operation<T.ListConnectionsRequest, T.ListConnectionsResponse> = (input, { caller }) => {
    const all = [...state.at(caller).connections.values()]
      .filter((c) => (input.NamePrefix === undefined || c.name.startsWith(input.NamePrefix))
        && (input.ConnectionState === undefined || c.state === input.ConnectionState))
      .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    const { items, next } = page(all, input.NextToken, input.Limit)
    return { Connections: items.map((c) => c.summary()), NextToken: next }
  }

  /**
   * Fields not given keep their values; a new AuthorizationType needs its whole auth block. Changed
   * credentials re-authorize: AUTHORIZED for Basic/API key, AUTHORIZING (a new token) for OAuth [R].
   */
  const updateConnection: Operation<T.UpdateConnectionRequest, T.UpdateConnectionResponse> = (input, { caller }) => {
    checkConnectionInput(input)
    const connection = requireConnection('update', input.Name, caller)
    const type = input.AuthorizationType ?? connection.type
    const changedType = type !== connection.type
    if (input.AuthParameters !== undefined || changedType) checkAuthBlocks(type, input.AuthParameters ?? {}, !changedType)
    if (input.Description !== undefined) connection.description = input.Description
    if (input.KmsKeyIdentifier !== undefined) connection.kmsKeyIdentifier = input.KmsKeyIdentifier
    if (changedType) {
      const { InvocationHttpParameters: invocation = connection.auth.InvocationHttpParameters } = input.AuthParameters ?? {}
      connection.auth = { ...(input.AuthParameters as AuthParameters), InvocationHttpParameters: invocation }
      connection.type = type
    } else if (input.AuthParameters !== undefined) {
      connection.auth = mergeAuth(connection.auth, input.AuthParameters)
    }
    if (changedType || input.AuthParameters !== undefined || connection.state === 'DEAUTHORIZED') {
      forgetToken(connection)
      connection.resetAuthorization(clock.now())
    } else {
      connection.modifiedAt = clock.now()
    }
    connection.save()
    return stateOf(connection)
  }

  // The connection goes at once; API destinations that use it fail their invocations (NO_RESOURCE) [R].
  const deleteConnection: Operation<T.DeleteConnectionRequest, T.DeleteConnectionResponse> = (input, { caller }) => {
    const connection = requireConnection('delete', input.Name, caller)
    state.at(caller).connections.delete(connection.name)
    state.rows?.connectionGone(connection)
    forgetToken(connection)
    return { ...stateOf(connection), ConnectionState: 'DELETING' }
  }

  // AWS answers DEAUTHORIZING and gets to DEAUTHORIZED shortly after; Nimbus is there at once [D].
  const deauthorizeConnection: Operation<T.DeauthorizeConnectionRequest, T.DeauthorizeConnectionResponse> = (input, { caller }) => {
    const connection = requireConnection('deauthorize', input.Name, caller)
    forgetToken(connection)
    connection.deauthorize(clock.now())
    connection.save()
    return { ...stateOf(connection), ConnectionState: 'DEAUTHORIZING' }
  }

  return {
    CreateConnection: createConnection, DescribeConnection: describeConnection, ListConnections: listConnections,
    UpdateConnection: updateConnection, DeleteConnection: deleteConnection, DeauthorizeConnection: deauthorizeConnection,
  }
}

/** UpdateConnection's partial auth block over the stored one (client parameters field by field). */
function mergeAuth(current: AuthParameters, update: T.UpdateConnectionAuthRequestParameters): AuthParameters {
  const merged: AuthParameters = { ...current }
  if (update.BasicAuthParameters !== undefined) merged.BasicAuthParameters = { ...current.BasicAuthParameters!, ...defined(update.BasicAuthParameters) }
  if (update.ApiKeyAuthParameters !== undefined) merged.ApiKeyAuthParameters = { ...current.ApiKeyAuthParameters!, ...defined(update.ApiKeyAuthParameters) }
  if (update.OAuthParameters !== undefined) {
    const now = current.OAuthParameters!
    const { ClientParameters: client, ...rest } = update.OAuthParameters
    merged.OAuthParameters = { ...now, ...defined(rest), ClientParameters: { ...now.ClientParameters, ...defined(client ?? {}) } }
  }
  if (update.InvocationHttpParameters !== undefined) merged.InvocationHttpParameters = update.InvocationHttpParameters
  return merged
}

function defined<V extends object>(value: V): Partial<V> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<V>
}
