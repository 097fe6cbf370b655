// API Gateway V2's control-plane errors, with AWS's wording ([R] in the README where recalled).
import { AwsError } from '../../protocol/errors.ts'

const notFound = (message: string) => new AwsError('NotFoundException', message, { status: 404 })
const badRequest = (message: string) => new AwsError('BadRequestException', message, { status: 400 })
const conflict = (message: string) => new AwsError('ConflictException', message, { status: 409 })

export const apiGatewayV2Errors = {
  badRequest,
  conflict,
  notFound,
  // AWS's front end words a missing required member this way [R].
  missingParameter: (name: string) => badRequest(`Invalid request input: ${name} must not be null`),
  apiNotFound: (id: string) => notFound(`Invalid API identifier specified ${id}`),
  routeNotFound: (id: string) => notFound(`Invalid Route identifier specified ${id}`),
  integrationNotFound: (id: string) => notFound(`Invalid Integration identifier specified ${id}`),
  stageNotFound: (name: string) => notFound(`Invalid stage identifier specified ${name}`),
  authorizerNotFound: (id: string) => notFound(`Invalid Authorizer identifier specified ${id}`),
  deploymentNotFound: (id: string) => notFound(`Invalid Deployment identifier specified ${id}`),
  routeExists: (key: string) => conflict(`Route with key ${key} already exists for this API`),
  stageExists: (name: string) => conflict(`Stage ${name} already exists`),
  notImplemented: (what: string) => new AwsError('NotImplemented', `Nimbus does not serve ${what} in apigatewayv2 yet. See the Gaps in Nimbus's apigatewayv2 README.`, { status: 501 }),
  invalidRouteKey: (key: string) => badRequest(`Unable to create Route with key ${key}. Route key must be "$default" or of the form "METHOD /path".`),
}
