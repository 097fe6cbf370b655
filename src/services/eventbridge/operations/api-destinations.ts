// CreateApiDestination, DescribeApiDestination, ListApiDestinations, UpdateApiDestination,
// DeleteApiDestination. The connection must exist in the caller's account and region; the state
// shown is ACTIVE while that connection is AUTHORIZED and INACTIVE otherwise [S].
import type { Operation } from '../../service.ts'
import { ApiDestination } from '../api-destination.ts'
import { connectionNameFromArn } from '../connection.ts'
import { checkApiDestinationInput } from '../connection-validation.ts'
import type { EbContext } from '../context.ts'
import { ebErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { RegionState } from '../store.ts'
import { page } from './common.ts'

export function apiDestinationOperations(ctx: EbContext) {
  const { state, clock } = ctx
  const requireDestination = (verb: string, name: string, where: { account: string; region: string }) => {
    const destination = state.at(where).apiDestinations.get(name)
    if (destination === undefined) throw ebErrors.apiDestinationNotFound(verb, name)
    return destination
  }
  const stateOf = (region: RegionState, d: ApiDestination): T.ApiDestinationState => {
    const connection = region.connections.get(connectionNameFromArn(d.connectionArn) ?? '')
    return connection?.arn === d.connectionArn && connection.state === 'AUTHORIZED' ? 'ACTIVE' : 'INACTIVE'
  }
  const answer = (region: RegionState, d: ApiDestination) => ({
    ApiDestinationArn: d.arn, ApiDestinationState: stateOf(region, d),
    CreationTime: new Date(d.createdAt), LastModifiedTime: new Date(d.modifiedAt),
  })
  /** The connection named by ARN must exist [R: wording]. */
  const requireConnection = (region: RegionState, verb: string, arn: string) => {
    const name = connectionNameFromArn(arn) ?? arn
    const connection = region.connections.get(name)
    if (connection === undefined || connection.arn !== arn) throw ebErrors.connectionNotFound(verb, name)
  }

  const createApiDestination: Operation<T.CreateApiDestinationRequest, T.CreateApiDestinationResponse> = (input, { caller }) => {
    checkApiDestinationInput(input)
    const region = state.at(caller)
    if (region.apiDestinations.has(input.Name)) throw ebErrors.apiDestinationExists(input.Name)
    requireConnection(region, 'create', input.ConnectionArn)
    const destination = new ApiDestination({ name: input.Name, account: caller.account, region: caller.region, now: clock.now(),
      connectionArn: input.ConnectionArn, endpoint: input.InvocationEndpoint, method: input.HttpMethod,
      rateLimit: input.InvocationRateLimitPerSecond, description: input.Description })
    region.apiDestinations.set(destination.name, destination)
    state.rows?.apiDestination(destination)
    return answer(region, destination)
  }

  const describeApiDestination: Operation<T.DescribeApiDestinationRequest, T.DescribeApiDestinationResponse> = (input, { caller }) => {
    const destination = requireDestination('describe', input.Name, caller)
    return destination.describe(stateOf(state.at(caller), destination))
  }

  const listApiDestinations: Operation<T.ListApiDestinationsRequest, T.ListApiDestinationsResponse> = (input, { caller }) => {
    const region = state.at(caller)
    const all = [...region.apiDestinations.values()]
      .filter((d) => (input.NamePrefix === undefined || d.name.startsWith(input.NamePrefix))
        && (input.ConnectionArn === undefined || d.connectionArn === input.ConnectionArn))
      .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    const { items, next } = page(all, input.NextToken, input.Limit)
    return { ApiDestinations: items.map((d) => d.summary(stateOf(region, d))), NextToken: next }
  }

  /** Fields not given keep their values. */
  const updateApiDestination: Operation<T.UpdateApiDestinationRequest, T.UpdateApiDestinationResponse> = (input, { caller }) => {
    checkApiDestinationInput(input)
    const region = state.at(caller)
    const destination = requireDestination('update', input.Name, caller)
    if (input.ConnectionArn !== undefined) requireConnection(region, 'update', input.ConnectionArn)
    destination.connectionArn = input.ConnectionArn ?? destination.connectionArn
    destination.endpoint = input.InvocationEndpoint ?? destination.endpoint
    destination.method = input.HttpMethod ?? destination.method
    destination.rateLimit = input.InvocationRateLimitPerSecond ?? destination.rateLimit
    destination.description = input.Description ?? destination.description
    destination.modifiedAt = clock.now()
    state.rows?.apiDestination(destination)
    return answer(region, destination)
  }

  const deleteApiDestination: Operation<T.DeleteApiDestinationRequest, T.DeleteApiDestinationResponse> = (input, { caller }) => {
    const destination = requireDestination('delete', input.Name, caller)
    state.at(caller).apiDestinations.delete(destination.name)
    state.rows?.apiDestinationGone(destination)
    return {}
  }

  return {
    CreateApiDestination: createApiDestination, DescribeApiDestination: describeApiDestination,
    ListApiDestinations: listApiDestinations, UpdateApiDestination: updateApiDestination, DeleteApiDestination: deleteApiDestination,
  }
}
