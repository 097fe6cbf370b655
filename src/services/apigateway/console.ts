// What the web console shows of API Gateway's REST APIs (services/console-view.ts): each API with its
// resources and methods (and what each integrates with), its stages and their invoke URLs.
import { arnLink, type ConsoleDetail, type ConsoleItem, type ConsoleView, isoTime } from '../console-view.ts'
import type { ApiData, ApiGatewayState } from './store.ts'

export function apiGatewayConsole(state: ApiGatewayState): ConsoleView {
  const find = (id: string) => [...state.apis.values()].find((a) => a.id === id || arnOf(a) === id)
  return {
    list: (type) => (type === 'rest-api' ? [...state.apis.values()].map(item) : []),
    detail: (type, id) => {
      const api = type === 'rest-api' ? find(id) : undefined
      return api === undefined ? undefined : detail(api)
    },
  }
}

const arnOf = (api: ApiData) => `arn:aws:apigateway:${api.region}::/restapis/${api.id}`

function item(api: ApiData): ConsoleItem {
  return { id: api.id, name: api.name, arn: arnOf(api), account: api.account, region: api.region,
    fields: { resources: Object.keys(api.resources).length, stages: Object.keys(api.stages).join(', '), created: isoTime(api.createdDate) } }
}

function detail(api: ApiData): ConsoleDetail {
  const methods = Object.values(api.resources).sort((a, b) => (a.path < b.path ? -1 : 1)).flatMap((r) => Object.values(r.methods).map((m) => ({
    path: r.path, method: m.httpMethod, authorization: m.authorizationType, integration: m.integration?.type ?? null, uri: m.integration?.uri ?? null })))
  const functions = [...new Set(methods.flatMap((m) => /arn:aws:lambda:[^/]+:function:[^/]+(?=\/invocations)/.exec(m.uri ?? '')?.[0] ?? []))]
  return {
    item: item(api),
    sections: [
      { title: 'Methods', kind: 'table', data: { columns: [{ key: 'path', label: 'Path' }, { key: 'method', label: 'Method' },
        { key: 'integration', label: 'Integration' }, { key: 'uri', label: 'URI' }], rows: methods } },
      { title: 'Stages', kind: 'table', data: { columns: [{ key: 'stage', label: 'Stage' }, { key: 'deployment', label: 'Deployment' },
        { key: 'url', label: 'Invoke URL' }],
      rows: Object.values(api.stages).map((s) => ({ stage: s.stageName, deployment: s.deploymentId,
        url: `http://${api.id}.execute-api.localhost:4566/${s.stageName}/` })) } },
    ],
    links: functions.flatMap((arn) => arnLink('Integration', arn)),
  }
}
