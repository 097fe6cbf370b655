// API Gateway REST APIs: the control plane (APIs, resources, methods, integrations, deployments,
// stages, tags) and the data plane serving each deployed stage at its invoke URLs.
import { type ApiAccountThrottle, accountThrottleDefaults } from '../../core/api-account-throttle.ts'
import type { Clock } from '../../core/clock.ts'
import { HttpClient } from '../../core/http-client.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import type { ApiGatewayV2Port } from '../apigatewayv2/port.ts'
import type { LambdaPort } from '../lambda/port.ts'
import type { CloudWatchPort } from '../cloudwatch/port.ts'
import type { LogsPort } from '../logs/port.ts'
import type { FirehosePort } from '../firehose/port.ts'
import { ApiGatewayMetrics } from '../api-gateway-metrics.ts'
import { defineService, type InProcessAwsCall, type InvokeSignatureCheck, type OperationContext, type OperationTable, type ServiceDefinition } from '../service.ts'
import { noteTerraform, shownPolicies } from './resource-policy/policy-text.ts'
import { restDomainPeer } from './domains/peer.ts'
import { ApiGatewayRows } from './apigateway-rows.ts'
import { clientCertificateOperations } from './account-resources/client-certificates.ts'
import { AccountResources } from './account-resources/store.ts'
import { restVpcLinkOperations } from './account-resources/vpc-links.ts'
import { documentationPartOperations } from './documentation/parts.ts'
import { documentationVersionOperations } from './documentation/versions.ts'
import { domainUpdateOperations } from './domains/domain-updates.ts'
import { importApiKeyOperations } from './operations/import-api-keys.ts'
import { methodExtraOperations } from './operations/method-extras.ts'
import { sdkOperations } from './operations/sdk.ts'
import { restTagOperations } from './operations/tags.ts'
import { updateUsageOperations } from './operations/update-usage.ts'
import { apiGatewayConsole } from './console.ts'
import { apiGatewayDescriptor } from './descriptor.ts'
import { domainOperations } from './domains/operations.ts'
import { DomainState } from './domains/store.ts'
import { AccessAssociationState, accessAssociationOperations } from './domains/access-associations.ts'
import { apiGatewayErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { ApiGatewayOperations } from './generated/types.ts'
import { invokeUrlCors } from './invoke/invoke-cors.ts'
import { type InvokeDeps, serveInvokeUrl } from './invoke/serve.ts'
import { serveRestUpgrade } from './invoke/upgrade.ts'
import { testInvokeOperations } from './invoke/test-invoke.ts'
import { testInvokeAuthorizerOperations } from './invoke/test-invoke-authorizer.ts'
import { apiOperations } from './operations/apis.ts'
import { accountOperations } from './operations/account.ts'
import { apiKeyOperations } from './operations/api-keys.ts'
import { authorizerOperations } from './operations/authorizers.ts'
import { importExportOperations } from './operations/import-export.ts'
import { cacheOperations } from './operations/cache-operations.ts'
import { gatewayResponseOperations } from './operations/gateway-responses.ts'
import { methodOperations } from './operations/methods.ts'
import { modelOperations } from './operations/models.ts'
import { resourceOperations } from './operations/resources.ts'
import { stageSettingsOperations } from './operations/stage-settings.ts'
import { stageOperations } from './operations/stages.ts'
import { updateOperations } from './operations/updates.ts'
import { usagePlanOperations } from './operations/usage-plans.ts'
import { ApiGatewayState } from './store.ts'
import { mappingPort } from './mapping-port.ts'
import { meterKey } from './invoke/api-key.ts'
import type { ApiGatewayPort } from './port.ts'
import { UsageState } from './usage-store.ts'

export interface ApiGatewayDeps {
  clock: Clock
  /** AWS_PROXY integrations invoke functions synchronously through it. */
  lambda: LambdaPort
  log: (line: string) => void
  /** HTTP APIs share the execute-api hosts: requests for ids that are no REST API are handed on. */
  httpApis?: () => ApiGatewayV2Port | undefined
  /** AWS service integrations (Kinesis, SQS, S3…) call the service in process through the gateway's pipeline. */
  awsCall?: InProcessAwsCall
  /** Stages' access logs are written through it. */
  logs?: LogsPort
  /** …or through it, to a Firehose stream. */
  firehose?: FirehosePort
  /** With a data dir, every REST API is durable (read back here at creation); else in memory. */
  persistence?: Persistence
  /** The stage cache publishes CacheHitCount/CacheMissCount to AWS/ApiGateway through it. */
  cloudwatch?: CloudWatchPort
  /** API Gateway's account-level throttle, shared with HTTP APIs (core/api-account-throttle.ts). */
  accountThrottle?: ApiAccountThrottle
  /** A minute of request metrics ended: CloudWatch re-plans alarms on AWS/ApiGateway. */
  metricsChanged?: (account: string, region: string) => void
  /** `--enforce-iam`: Lambda integrations and authorizers need the function's permission for apigateway.amazonaws.com. */
  enforceIam?: boolean
}

export type { ApiGatewayPort } from './port.ts'

export function createApiGateway(deps: ApiGatewayDeps): { definition: ServiceDefinition; port: ApiGatewayPort; state: ApiGatewayState } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new ApiGatewayState(deps.clock, durable === undefined ? undefined : new ApiGatewayRows(durable))
  const usage = new UsageState(durable)
  const domains = new DomainState(durable)
  const associations = new AccessAssociationState(durable)
  const resources = new AccountResources(durable)
  // HTTP and HTTP_PROXY integrations' backend calls (their timeouts on Nimbus's clock).
  const http = new HttpClient(deps.clock)
  const metrics = new ApiGatewayMetrics(deps.clock, 'rest', deps.metricsChanged ?? (() => {}))
  const invokeDeps: InvokeDeps = { state, usage, lambda: deps.lambda, log: deps.log, httpApis: deps.httpApis, awsCall: deps.awsCall,
    cloudwatch: deps.cloudwatch, http, domains, logs: deps.logs, accountThrottle: deps.accountThrottle, metrics,
    enforceIam: deps.enforceIam, firehose: deps.firehose }
  // The gateway hands every request the same signature check: the deps with it are built once, not per request.
  let checked: InvokeDeps = invokeDeps
  const withCheck = (checkSignature: InvokeSignatureCheck | undefined): InvokeDeps =>
    checked.checkSignature === checkSignature ? checked : (checked = { ...invokeDeps, checkSignature })
  const operations = {
    ...apiOperations(state),
    ...resourceOperations(state),
    ...methodOperations(state),
    ...stageOperations(state, deps.log),
    ...stageSettingsOperations(state, (id, ctx) => resources.certificates.get(id, ctx.caller.account, ctx.caller.region) !== undefined),
    ...authorizerOperations(state),
    ...apiKeyOperations(state, usage),
    ...usagePlanOperations(state, usage, (account, region, apiId, stage) => deps.httpApis?.()?.webSocketStage(account, region, apiId, stage) === true),
    ...importExportOperations(state),
    ...updateOperations(state),
    ...accountOperations(resources.settings, deps.accountThrottle?.limits ?? accountThrottleDefaults),
    ...cacheOperations(state),
    ...modelOperations(state),
    ...gatewayResponseOperations(state),
    ...domainOperations(state, domains, (name) => deps.httpApis?.()?.servesDomain(name) === true, () => deps.httpApis?.()?.domainPeer,
      (domain) => associations.removeDomain(domain)),
    ...accessAssociationOperations(domains, associations),
    ...testInvokeOperations(invokeDeps),
    ...restTagOperations(state, usage, domains, resources, () => deps.httpApis?.()?.domainPeer),
    ...restVpcLinkOperations(resources, deps.clock),
    ...clientCertificateOperations(resources, deps.clock),
    ...documentationPartOperations(state),
    ...documentationVersionOperations(state),
    ...domainUpdateOperations(state, domains, () => deps.httpApis?.()?.domainPeer),
    ...importApiKeyOperations(state, usage),
    ...updateUsageOperations(state, usage),
    ...methodExtraOperations(state),
    ...sdkOperations(state),
    ...testInvokeAuthorizerOperations({ state, lambda: deps.lambda }),
  } satisfies OperationTable<ApiGatewayOperations>
  // A RestApi's policy reads back as AWS writes it for Terraform, as plain JSON for others (resource-policy/policy-text.ts).
  const table = operations as Record<string, (input: never, ctx: OperationContext) => unknown>
  for (const name of ['CreateRestApi', 'GetRestApi', 'GetRestApis', 'UpdateRestApi', 'ImportRestApi', 'PutRestApi']) {
    const handler = table[name]!
    table[name] = (input, ctx) => {
      const answer = handler(input, ctx)
      return answer instanceof Promise ? answer.then((a: unknown) => shownPolicies(name, a, ctx)) : shownPolicies(name, answer, ctx)
    }
  }

  const definition = defineService({
    name: apiGatewayDescriptor.name,
    signingName: apiGatewayDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: apiGatewayDescriptor.protocols,
    pathPrefixes: apiGatewayDescriptor.pathPrefixes,
    claimsHost: apiGatewayDescriptor.claimsHost,
    operations,
    errors: { missingParameter: apiGatewayErrors.missingParameter },
    prepareInput: (operation, _input, request, ctx) => noteTerraform(operation, request, ctx),
    serveDirect: (request, _signal, checkSignature) => serveInvokeUrl(withCheck(checkSignature), request),
    // WebSocket APIs (apigatewayv2) share the invoke URLs' two forms and custom domains; a REST API takes no upgrade.
    serveUpgrade: (request, checkSignature) => serveRestUpgrade(state, domains, deps.httpApis?.(), request, checkSignature),
    // Custom domain names (and their regional names) are invoke hosts too, any port.
    servesHost: (host) => domains.byHost(host) !== undefined || deps.httpApis?.()?.servesDomain(host) === true,
    reset: () => {
      http.abortAll()
      domains.reset()
      associations.reset()
      resources.reset()
      state.reset()
      usage.reset()
      deps.accountThrottle?.clear()
      metrics.clear()
    },
    // With a data dir the rows stay for the next start.
    stop: () => {
      http.abortAll()
      if (durable === undefined) state.apis.clear()
      if (durable === undefined) domains.forget()
      if (durable === undefined) associations.forget()
      if (durable === undefined) resources.forget()
      usage.stop()
    },
    health: () => ({ status: 'running', restApis: state.apis.size, inFlight: state.inFlight }),
    console: apiGatewayConsole(state),
    cors: invokeUrlCors(state, deps.httpApis, domains),
  })
  const mapping = mappingPort({ lambda: deps.lambda, awsCall: deps.awsCall, log: deps.log })
  return { definition, port: { hasDomain: (name) => domains.domains.has(name.toLowerCase()), metrics: metrics.source, mapping,
    domainPeer: restDomainPeer(domains),
    restStage: (account, region, apiId, stage) => {
      const api = state.apis.get(apiId)
      return api === undefined || api.account !== account || api.region !== region ? undefined : api.stages[stage] !== undefined
    },
    privateRestApi: (apiId) => state.apis.get(apiId)?.endpointConfiguration?.types?.includes('PRIVATE') === true,
    meterApiKey: (request) => meterKey(usage, request) }, state }
}
