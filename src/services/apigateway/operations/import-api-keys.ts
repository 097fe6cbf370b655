// ImportApiKeys (`format=csv`): one API key per CSV line under a header naming the columns — `name`,
// `key` (the value; required), `description`, `enabled` (default false), `customerId`, `usagePlanIds`
// (`:`-separated plans the key joins) — as AWS documents the format [R: the header's exact casing is read
// case-insensitively]. Bad lines are warnings, fatal (and nothing imported) with failOnWarnings.
import { csvRows } from '../../../core/csv.ts'
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import type { ApiGatewayState } from '../store.ts'
import type { ApiKeyData, UsageState } from '../usage-store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

export function importApiKeyOperations(state: ApiGatewayState, usage: UsageState) {
  const importApiKeys: Op<T.ImportApiKeysRequest, T.ApiKeyIds> = (input, ctx) => {
    // [R] AWS's answer for a format other than csv.
    if (input.format !== 'csv') throw apiGatewayErrors.badRequest(`Invalid format specified: ${String(input.format)}. Only csv is supported`)
    const rows = csvRows(Buffer.from(input.body ?? new Uint8Array()).toString('utf8').replace(/^\uFEFF/, ''))
      .filter((r) => r.some((f) => f.trim() !== ''))
    const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase())
    const column = (name: string) => header.indexOf(name.toLowerCase())
    if (column('key') === -1) throw apiGatewayErrors.badRequest('Invalid API key CSV: the header must name a Key column')
    const { account, region } = ctx.caller
    const existing = new Set(usage.keysOf(account, region).map((k) => k.value))
    const warnings: string[] = []
    const made: Array<{ key: ApiKeyData; plans: string[] }> = []
    rows.forEach((row, index) => {
      const cell = (name: string) => (column(name) === -1 ? undefined : row[column(name)]?.trim())
      const line = index + 2
      const value = cell('key') ?? ''
      const plans = (cell('usageplanIds') ?? cell('usagePlanId') ?? '').split(/[:;]/).map((p) => p.trim()).filter((p) => p !== '')
      const enabled = (cell('enabled') ?? 'false').toLowerCase()
      if (value.length < 20 || value.length > 128) return warnings.push(`Line ${line}: API Key value should be at least 20 characters and at most 128 characters`)
      if (existing.has(value)) return warnings.push(`Line ${line}: API Key already exists`)
      if (enabled !== 'true' && enabled !== 'false') return warnings.push(`Line ${line}: Invalid value for enabled: ${enabled}`)
      const missing = plans.find((id) => { const p = usage.plans.get(id); return p === undefined || p.account !== account || p.region !== region })
      if (missing !== undefined) return warnings.push(`Line ${line}: Invalid Usage Plan ID specified: ${missing}`)
      existing.add(value)
      let id = newId(10)
      while (usage.keys.has(id) || made.some((m) => m.key.id === id)) id = newId(10)
      const now = state.clock.now()
      made.push({
        key: { account, region, id, value, name: cell('name') || undefined, description: cell('description') || undefined,
          customerId: cell('customerId') || undefined, enabled: enabled === 'true', stageKeys: [], tags: {}, createdDate: now, lastUpdatedDate: now },
        plans,
      })
      return undefined
    })
    if (warnings.length > 0 && input.failOnWarnings === true) throw apiGatewayErrors.badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`)
    for (const { key, plans } of made) {
      usage.keys.set(key.id, key)
      usage.saveKey(key)
      for (const planId of plans) {
        const plan = usage.plans.get(planId)!
        if (!plan.keyIds.includes(key.id)) plan.keyIds.push(key.id)
        usage.savePlan(plan)
      }
    }
    return { ids: made.map((m) => m.key.id), ...(warnings.length > 0 && { warnings }) }
  }
  return { ImportApiKeys: importApiKeys }
}
