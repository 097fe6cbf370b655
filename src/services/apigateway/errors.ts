// API Gateway's control-plane errors, with AWS's wording ([R] in the README where recalled).
import { AwsError } from '../../protocol/errors.ts'

const notFound = (message: string) => new AwsError('NotFoundException', message, { status: 404 })
const badRequest = (message: string) => new AwsError('BadRequestException', message, { status: 400 })
const conflict = (message: string) => new AwsError('ConflictException', message, { status: 409 })

export const apiGatewayErrors = {
  badRequest,
  conflict,
  notFound,
  // AWS's front end words a missing required member this way for API Gateway [R].
  missingParameter: (name: string) => badRequest(`Invalid request input: ${name} must not be null`),
  apiNotFound: (account: string, id: string) => notFound(`Invalid API identifier specified ${account}:${id}`),
  resourceNotFound: () => notFound('Invalid Resource identifier specified'),
  methodNotFound: () => notFound('Invalid Method identifier specified'),
  integrationNotFound: () => notFound('No integration defined for method'),
  responseNotFound: () => notFound('Invalid Response status code specified'),
  stageNotFound: () => notFound('Invalid Stage identifier specified'),
  deploymentNotFound: () => notFound('Invalid Deployment identifier specified'),
  authorizerNotFound: () => notFound('Invalid Authorizer identifier specified'),
  apiKeyNotFound: () => notFound('Invalid API Key identifier specified'),
  usagePlanNotFound: (id: string) => notFound(`Invalid Usage Plan ID specified: ${id}`),
  usagePlanKeyNotFound: () => notFound('Invalid Usage Plan Key identifier specified'),
  resourceExists: (pathPart: string) => conflict(`Another resource with the same parent already has this name: ${pathPart}`),
  methodExists: () => conflict('Method already exists for this resource'),
  stageExists: () => conflict('Stage already exists'),
  invalidPathPart: () => badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end " +
    'and an optional plus sign before the closing brace.'),
  siblingVariable: (siblingId: string) => badRequest(`A sibling (${siblingId}) of this resource already has a variable path part -- only one is allowed`),
  greedyParent: (pathPart: string) => badRequest(`Cannot create a child of a resource with a greedy path variable: ${pathPart}`),
  invalidHttpMethod: () => badRequest('Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY'),
  noMethods: () => badRequest("The REST API doesn't contain any methods"),
  noIntegration: () => badRequest('No integration defined for method'),
  invalidIntegrationMethod: () => badRequest('Enumeration value for HttpMethod must be non-empty'),
  invalidUri: () => badRequest('Invalid ARN specified in the request'),
  invalidArn: (arn: string) => badRequest(`Invalid ARN specified in the request: ${arn}`),
  rootDelete: () => badRequest('Cannot delete root resource'),
  stageInUse: () => badRequest('Active stages pointing to this deployment must be moved or deleted'),
}
