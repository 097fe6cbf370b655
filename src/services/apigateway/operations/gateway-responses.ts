// GatewayResponses' control plane: PutGatewayResponse customises a type's status, headers
// (`gatewayresponse.header.X`) and body templates; Get/GetAll show every type, customised or AWS's
// default; UpdateGatewayResponse patches one; DeleteGatewayResponse returns it to the default. Like
// the rest of the API, a change serves once deployed.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import { defaultResponse, defaultStatus, isResponseType } from '../gateway-responses/catalog.ts'
import type * as T from '../generated/types.ts'
import type { ApiGatewayState } from '../store.ts'
import { page } from './views.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** [R] The wording of these refusals is recalled (README). */
const errors = {
  badType: (type: string) => apiGatewayErrors.badRequest(`Invalid gateway response type specified: ${type}`),
  badStatus: (status: string) => apiGatewayErrors.badRequest(`Invalid status code specified: ${status}`),
  badParameter: (name: string) => apiGatewayErrors.badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${name}]`),
  notFound: () => apiGatewayErrors.notFound('Invalid gateway response type specified'),
  badPatch: (path: string) => apiGatewayErrors.badRequest(`Invalid patch path ${path}`),
}

function checked(type: string): T.GatewayResponseType {
  if (!isResponseType(type)) throw errors.badType(type)
  return type
}

/** A customised response's parts must be what AWS accepts: a 1xx–5xx status, only header mappings. */
function validate(response: T.GatewayResponse): void {
  if (response.statusCode !== undefined && !/^[1-5]\d\d$/.test(response.statusCode)) throw errors.badStatus(response.statusCode)
  for (const name of Object.keys(response.responseParameters ?? {})) {
    if (!/^gatewayresponse\.header\.[^.\s]+$/.test(name)) throw errors.badParameter(name)
  }
}

/** `~1` in a patch path stands for `/` (a media type: `/responseTemplates/application~1json`). */
const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~')

export function gatewayResponseOperations(state: ApiGatewayState) {
  const api = (id: string, ctx: OperationContext) => state.api(ctx.caller.account, ctx.caller.region, id)
  const view = (custom: T.GatewayResponse | undefined, type: T.GatewayResponseType): T.GatewayResponse =>
    custom === undefined ? defaultResponse(type) : { ...custom, defaultResponse: false }

  const putGatewayResponse: Op<T.PutGatewayResponseRequest, T.GatewayResponse> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const type = checked(input.responseType)
    const response: T.GatewayResponse = {
      responseType: type, statusCode: input.statusCode ?? defaultStatus[type],
      responseParameters: input.responseParameters ?? {}, responseTemplates: input.responseTemplates ?? {},
    }
    validate(response)
    ;(rest.gatewayResponses ??= {})[type] = response
    state.save(rest)
    return view(response, type)
  }

  const getGatewayResponse: Op<T.GetGatewayResponseRequest, T.GatewayResponse> = (input, ctx) => {
    const type = checked(input.responseType)
    return view(api(input.restApiId, ctx).gatewayResponses?.[type], type)
  }

  const getGatewayResponses: Op<T.GetGatewayResponsesRequest, T.GatewayResponses> = (input, ctx) => {
    const custom = api(input.restApiId, ctx).gatewayResponses ?? {}
    const all = (Object.keys(defaultStatus) as T.GatewayResponseType[]).map((type) => view(custom[type], type))
    const { items, position } = page(all, input.position, input.limit)
    return { items, position }
  }

  const updateGatewayResponse: Op<T.UpdateGatewayResponseRequest, T.GatewayResponse> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const type = checked(input.responseType)
    // Patching a default response customises it, starting from what it shows.
    const current = rest.gatewayResponses?.[type] ?? { ...defaultResponse(type), defaultResponse: undefined }
    const response: T.GatewayResponse = {
      ...current, responseParameters: { ...current.responseParameters }, responseTemplates: { ...current.responseTemplates },
    }
    for (const patch of input.patchOperations ?? []) {
      const path = patch.path ?? ''
      const member = /^\/(responseParameters|responseTemplates)\/(.+)$/.exec(path)
      if (path === '/statusCode' && patch.op === 'replace') response.statusCode = patch.value
      else if (member !== null && (patch.op === 'add' || patch.op === 'replace' || patch.op === 'remove')) {
        const map = response[member[1] as 'responseParameters' | 'responseTemplates']!
        const key = unescape(member[2]!)
        if (patch.op === 'remove') delete map[key]
        else map[key] = patch.value ?? ''
      } else throw errors.badPatch(path)
    }
    validate(response)
    ;(rest.gatewayResponses ??= {})[type] = response
    state.save(rest)
    return view(response, type)
  }

  const deleteGatewayResponse: Op<T.DeleteGatewayResponseRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const type = checked(input.responseType)
    if (rest.gatewayResponses?.[type] === undefined) throw errors.notFound()
    delete rest.gatewayResponses[type]
    state.save(rest)
  }

  return {
    PutGatewayResponse: putGatewayResponse, GetGatewayResponse: getGatewayResponse, GetGatewayResponses: getGatewayResponses,
    UpdateGatewayResponse: updateGatewayResponse, DeleteGatewayResponse: deleteGatewayResponse,
  }
}
