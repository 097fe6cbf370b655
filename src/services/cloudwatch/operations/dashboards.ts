// PutDashboard, GetDashboard, ListDashboards, DeleteDashboards: stored bodies, validated as JSON.
import type { OperationTable } from '../../service.ts'
import { cloudWatchErrors } from '../errors.ts'
import type { CloudWatchOperations } from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { CloudWatchState } from '../store.ts'
import { pageToken, readPageToken } from './common.ts'

type Ops = Pick<CloudWatchOperations, 'PutDashboard' | 'GetDashboard' | 'ListDashboards' | 'DeleteDashboards'>

const namePattern = /^[A-Za-z0-9_-]{1,255}$/
const arn = (account: string, name: string) => `arn:aws:cloudwatch::${account}:dashboard/${name}`

export function dashboardOperations(state: CloudWatchState): OperationTable<Ops> {
  return {
    PutDashboard: (input, ctx) => {
      if (!namePattern.test(input.DashboardName)) {
        throw cloudWatchErrors.dashboardInvalid('The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).', [])
      }
      if (Buffer.byteLength(input.DashboardBody) > limits.dashboardBodyBytes) {
        throw cloudWatchErrors.dashboardInvalid('The dashboard body is too large.', [])
      }
      let body: unknown
      try {
        body = JSON.parse(input.DashboardBody)
      } catch {
        throw cloudWatchErrors.dashboardInvalid('The field DashboardBody must be a valid JSON object', [{ DataPath: '', Message: 'Invalid JSON' }])
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw cloudWatchErrors.dashboardInvalid('The field DashboardBody must be a valid JSON object', [{ DataPath: '', Message: 'Should be object' }])
      }
      const widgets = (body as { widgets?: unknown }).widgets
      if (widgets !== undefined && !Array.isArray(widgets)) {
        throw cloudWatchErrors.dashboardInvalid('The dashboard body is invalid, there are 1 validation errors:',
          [{ DataPath: '/widgets', Message: 'Should be array' }])
      }
      state.putDashboard(state.region(ctx.caller.account, ctx.caller.region), { name: input.DashboardName, body: input.DashboardBody, modified: ctx.clock.now() })
      return { DashboardValidationMessages: [] }
    },
    GetDashboard: (input, ctx) => {
      const d = state.region(ctx.caller.account, ctx.caller.region).dashboards.get(input.DashboardName)
      if (d === undefined) throw cloudWatchErrors.dashboardNotFound(input.DashboardName)
      return { DashboardArn: arn(ctx.caller.account, d.name), DashboardBody: d.body, DashboardName: d.name }
    },
    ListDashboards: (input, ctx) => {
      const all = [...state.region(ctx.caller.account, ctx.caller.region).dashboards.values()]
        .filter((d) => input.DashboardNamePrefix === undefined || d.name.startsWith(input.DashboardNamePrefix))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
      const offset = readPageToken('ListDashboards', input.NextToken)
      const page = all.slice(offset, offset + 1000)
      const next = offset + page.length
      return {
        DashboardEntries: page.map((d) => ({ DashboardName: d.name, DashboardArn: arn(ctx.caller.account, d.name),
          LastModified: new Date(d.modified), Size: Buffer.byteLength(d.body) })),
        ...(next < all.length && { NextToken: pageToken('ListDashboards', next) }),
      }
    },
    DeleteDashboards: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const missing = input.DashboardNames.filter((n) => !region.dashboards.has(n))
      // AWS deletes none when any is missing.
      if (missing.length > 0) throw cloudWatchErrors.dashboardNotFound(missing[0]!)
      for (const name of input.DashboardNames) state.deleteDashboard(region, name)
      return {}
    },
  }
}
