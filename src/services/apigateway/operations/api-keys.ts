// API keys: Create/Get/Update/Delete/GetApiKeys. A key's value is shown by CreateApiKey and, on
// request (`includeValue`/`includeValues`), by the reads, as AWS does.
import { randomBytes } from 'node:crypto'
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import type { ApiGatewayState } from '../store.ts'
import type { ApiKeyData, UsageState } from '../usage-store.ts'
import { page } from './views.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A generated key value: 40 alphanumerics, as AWS's look. */
function newKeyValue(): string {
  let value = ''
  for (const b of randomBytes(40)) value += alphanumerics[b % alphanumerics.length]
  return value
}

export function apiKeyView(key: ApiKeyData, includeValue: boolean): T.ApiKey {
  return {
    id: key.id, value: includeValue ? key.value : undefined, name: key.name, customerId: key.customerId, description: key.description,
    enabled: key.enabled, createdDate: new Date(key.createdDate), lastUpdatedDate: new Date(key.lastUpdatedDate),
    stageKeys: key.stageKeys, tags: Object.keys(key.tags).length > 0 ? key.tags : undefined,
  }
}

export function apiKeyOperations(state: ApiGatewayState, usage: UsageState) {
  const find = (id: string, ctx: OperationContext): ApiKeyData => {
    const key = usage.keys.get(id)
    if (key === undefined || key.account !== ctx.caller.account || key.region !== ctx.caller.region) throw apiGatewayErrors.apiKeyNotFound()
    return key
  }
  const stageKey = (restApiId: string, stageName: string, ctx: OperationContext): string => {
    state.stage(state.api(ctx.caller.account, ctx.caller.region, restApiId), stageName)
    return `${restApiId}/${stageName}`
  }

  const createApiKey: Op<T.CreateApiKeyRequest, T.ApiKey> = (input, ctx) => {
    const value = input.value ?? newKeyValue()
    // [R] AWS's bounds on a key's value: 20 to 128 characters.
    if (value.length < 20 || value.length > 128) throw apiGatewayErrors.badRequest('API Key value should be at least 20 characters and at most 128 characters')
    if (usage.keysOf(ctx.caller.account, ctx.caller.region).some((k) => k.value === value)) {
      throw apiGatewayErrors.conflict('API Key already exists')
    }
    let id = newId(10)
    while (usage.keys.has(id)) id = newId(10)
    const now = state.clock.now()
    const key: ApiKeyData = {
      account: ctx.caller.account, region: ctx.caller.region, id, value, name: input.name, description: input.description,
      customerId: input.customerId, enabled: input.enabled ?? false,
      stageKeys: (input.stageKeys ?? []).map((s) => stageKey(s.restApiId ?? '', s.stageName ?? '', ctx)),
      tags: input.tags ?? {}, createdDate: now, lastUpdatedDate: now,
    }
    usage.keys.set(id, key)
    usage.saveKey(key)
    return apiKeyView(key, true)
  }

  const getApiKey: Op<T.GetApiKeyRequest, T.ApiKey> = (input, ctx) => apiKeyView(find(input.apiKey, ctx), input.includeValue === true)

  const getApiKeys: Op<T.GetApiKeysRequest, T.ApiKeys> = (input, ctx) => {
    const all = usage.keysOf(ctx.caller.account, ctx.caller.region)
      .filter((k) => input.nameQuery === undefined || (k.name ?? '').startsWith(input.nameQuery))
      .filter((k) => input.customerId === undefined || k.customerId === input.customerId)
    const { items, position } = page(all, input.position, input.limit)
    return { items: items.map((k) => apiKeyView(k, input.includeValues === true)), position }
  }

  const updateApiKey: Op<T.UpdateApiKeyRequest, T.ApiKey> = (input, ctx) => {
    const key = find(input.apiKey, ctx)
    for (const patch of input.patchOperations ?? []) {
      const path = patch.path ?? ''
      if (patch.op === 'replace' && path === '/enabled') key.enabled = patch.value === 'true'
      else if (patch.op === 'replace' && path === '/name') key.name = patch.value
      else if (patch.op === 'replace' && path === '/description') key.description = patch.value
      else if (patch.op === 'replace' && path === '/customerId') key.customerId = patch.value
      else if ((patch.op === 'add' || patch.op === 'remove') && path === '/stages') {
        const [restApiId = '', stageName = ''] = (patch.value ?? '').split('/')
        const name = patch.op === 'add' ? stageKey(restApiId, stageName, ctx) : `${restApiId}/${stageName}`
        key.stageKeys = key.stageKeys.filter((s) => s !== name)
        if (patch.op === 'add') key.stageKeys.push(name)
      } else throw apiGatewayErrors.badRequest(`Invalid patch path ${path}`)
    }
    key.lastUpdatedDate = state.clock.now()
    usage.saveKey(key)
    return apiKeyView(key, false)
  }

  const deleteApiKey: Op<T.DeleteApiKeyRequest, void> = (input, ctx) => {
    const key = find(input.apiKey, ctx)
    // The key leaves every usage plan it was in.
    for (const plan of usage.plansOf(key.account, key.region)) {
      if (!plan.keyIds.includes(key.id)) continue
      plan.keyIds = plan.keyIds.filter((id) => id !== key.id)
      usage.savePlan(plan)
    }
    usage.deleteKey(key.id)
  }

  return { CreateApiKey: createApiKey, GetApiKey: getApiKey, GetApiKeys: getApiKeys, UpdateApiKey: updateApiKey, DeleteApiKey: deleteApiKey }
}
