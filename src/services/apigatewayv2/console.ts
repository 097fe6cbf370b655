// What the web console shows of API Gateway's HTTP APIs (services/console-view.ts): each API with its
// routes (and the integration each targets) and stages.
import { arnLink, type ConsoleDetail, type ConsoleItem, type ConsoleView, isoTime } from '../console-view.ts'
import type { HttpApiData } from './data.ts'
import type { HttpApiState } from './store.ts'

export function httpApiConsole(state: HttpApiState): ConsoleView {
  const find = (id: string) => [...state.apis.values()].find((a) => a.id === id || arnOf(a) === id)
  return {
    list: (type) => (type === 'http-api' ? [...state.apis.values()].map(item) : []),
    detail: (type, id) => {
      const api = type === 'http-api' ? find(id) : undefined
      return api === undefined ? undefined : detail(api)
    },
  }
}

const arnOf = (api: HttpApiData) => `arn:aws:apigateway:${api.region}::/apis/${api.id}`

function item(api: HttpApiData): ConsoleItem {
  return { id: api.id, name: api.name, arn: arnOf(api), account: api.account, region: api.region,
    fields: { protocol: api.protocolType, routes: Object.keys(api.routes).length, stages: Object.keys(api.stages).join(', '),
      created: isoTime(api.createdDate) } }
}

function detail(api: HttpApiData): ConsoleDetail {
  const integrations = Object.values(api.integrations)
  const routes = Object.values(api.routes).map((r) => {
    const integration = api.integrations[r.target?.replace(/^integrations\//, '') ?? '']
    return { routeKey: r.routeKey, integration: integration?.type ?? null, uri: integration?.uri ?? null }
  })
  return {
    item: item(api),
    sections: [
      { title: 'Routes', kind: 'table', data: { columns: [{ key: 'routeKey', label: 'Route' }, { key: 'integration', label: 'Integration' },
        { key: 'uri', label: 'Target' }], rows: routes } },
      { title: 'Stages', kind: 'table', data: { columns: [{ key: 'name', label: 'Stage' }, { key: 'autoDeploy', label: 'Auto deploy' }],
        rows: Object.values(api.stages).map((s) => ({ name: s.name, autoDeploy: s.autoDeploy })) } },
    ],
    links: integrations.flatMap((i) => (i.uri?.startsWith('arn:') === true ? arnLink('Integration', i.uri) : [])),
  }
}
