// ImportRestApi (a new API from an OpenAPI definition), PutRestApi (an existing API merged with or
// overwritten by one) and GetExport (a stage's deployment as OpenAPI 3.0 or Swagger 2.0, JSON or YAML).
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import { applyImport } from '../openapi/apply.ts'
import { readDocument } from '../openapi/document.ts'
import { exportApi } from '../openapi/export.ts'
import { readApi } from '../openapi/read-api.ts'
import { writeYaml } from '../../../core/yaml.ts'
import type { ApiData, ApiGatewayState } from '../store.ts'
import { restApiView } from './views.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const endpointTypes = new Set(['EDGE', 'REGIONAL', 'PRIVATE'])

/** [R] With `failonwarnings=true` AWS refuses the definition, listing its warnings. */
function checkWarnings(warnings: string[], failOnWarnings: boolean | undefined): void {
  if (failOnWarnings === true && warnings.length > 0) {
    throw apiGatewayErrors.badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`)
  }
}

export function importExportOperations(state: ApiGatewayState) {
  const importRestApi: Op<T.ImportRestApiRequest, T.RestApi> = (input, ctx) => {
    const imported = readApi(readDocument(input.body, ctx.caller))
    checkWarnings(imported.warnings, input.failOnWarnings)
    const types = (input.parameters?.endpointConfigurationTypes ?? 'EDGE').split(',').map((t) => t.trim().toUpperCase())
    if (!types.every((t) => endpointTypes.has(t))) throw apiGatewayErrors.badRequest(`Invalid endpoint configuration type: ${types.join(',')}`)
    if ((imported.name ?? '').trim() === '') throw apiGatewayErrors.badRequest('Invalid REST API name specified')
    let id = newId(10)
    while (state.apis.has(id)) id = newId(10)
    const rootResourceId = newId(10)
    const api: ApiData = {
      account: ctx.caller.account, region: ctx.caller.region, id, name: imported.name!, createdDate: state.clock.now(),
      binaryMediaTypes: [], apiKeySource: 'HEADER', endpointConfiguration: { types: types as T.EndpointType[] },
      disableExecuteApiEndpoint: false, tags: {}, rootResourceId,
      resources: { [rootResourceId]: { id: rootResourceId, path: '/', methods: {} } }, deployments: {}, stages: {},
    }
    applyImport(api, imported, 'overwrite', input.parameters?.basepath)
    state.apis.set(id, api)
    state.save(api)
    return { ...restApiView(api), warnings: imported.warnings.length > 0 ? imported.warnings : undefined }
  }

  const putRestApi: Op<T.PutRestApiRequest, T.RestApi> = (input, ctx) => {
    const current = state.api(ctx.caller.account, ctx.caller.region, input.restApiId)
    const mode = input.mode ?? 'merge'
    if (mode !== 'merge' && mode !== 'overwrite') throw apiGatewayErrors.badRequest(`Invalid mode: ${String(mode)}`)
    const imported = readApi(readDocument(input.body, ctx.caller))
    checkWarnings(imported.warnings, input.failOnWarnings)
    // All or nothing: the definition is written into a copy that replaces the API only when it applied.
    const api = structuredClone(current)
    applyImport(api, imported, mode, input.parameters?.basepath)
    state.apis.set(api.id, api)
    state.save(api)
    return { ...restApiView(api), warnings: imported.warnings.length > 0 ? imported.warnings : undefined }
  }

  const getExport: Op<T.GetExportRequest, T.ExportResponse> = (input, ctx) => {
    const api = state.api(ctx.caller.account, ctx.caller.region, input.restApiId)
    const stage = state.stage(api, input.stageName)
    const deployment = api.deployments[stage.deploymentId]
    if (deployment === undefined) throw apiGatewayErrors.deploymentNotFound()
    if (input.exportType !== 'oas30' && input.exportType !== 'swagger') {
      throw apiGatewayErrors.badRequest(`Invalid export type specified: ${input.exportType}`)
    }
    const extensions = (input.parameters?.extensions ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '')
    if (extensions.includes('postman')) throw apiGatewayErrors.badRequest('Nimbus does not export Postman extensions yet')
    const doc = exportApi(api, stage, deployment, input.exportType, new Set(extensions))
    const yaml = (input.accepts ?? '').includes('yaml')
    const stamp = new Date(deployment.createdDate).toISOString().replace(/\.\d{3}Z$/, 'Z')
    return {
      contentType: yaml ? 'application/yaml' : 'application/json',
      contentDisposition: `attachment; filename="${input.exportType}_${stamp}.${yaml ? 'yaml' : 'json'}"`,
      body: Buffer.from(yaml ? writeYaml(doc) : JSON.stringify(doc, null, 2)),
    }
  }

  return { ImportRestApi: importRestApi, PutRestApi: putRestApi, GetExport: getExport }
}
