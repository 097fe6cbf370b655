// What the web console shows of Lambda (services/console-view.ts): functions with their configuration,
// versions, aliases and event source mappings, invocations and errors per minute, and invoking a
// function through Lambda's own Invoke — its result and the log lines of the run.
import {
  arnLink, type ConsoleChart, type ConsoleDetail, type ConsoleItem, type ConsoleView, ConsoleError, isoTime,
  ownerContext, unknownAction,
} from '../console-view.ts'
import type { Operation } from '../service.ts'
import type { LambdaContext } from './context.ts'
import { type LambdaFunction, toConfiguration } from './function.ts'
import { LambdaMetricLog } from './metric-log.ts'


type Operations = Readonly<Record<string, Operation<Record<string, unknown>, unknown> | undefined>>

export function lambdaConsole(ctx: LambdaContext, operations: Operations): ConsoleView {
  const find = (id: string) => ctx.state.findByArn(id) ?? ctx.state.allFunctions().find((f) => f.name === id)
  return {
    list: (type) => (type === 'function' ? ctx.state.allFunctions().map(item) : []),
    detail: (type, id) => {
      const fn = type === 'function' ? find(id) : undefined
      return fn === undefined ? undefined : detail(fn, ctx, operations)
    },
    act: async (type, id, action, params, op) => {
      const fn = type === 'function' ? find(id) : undefined
      if (fn === undefined) throw new ConsoleError('ResourceNotFound', `No function ${id}.`, 404)
      if (action !== 'invoke') throw unknownAction(action)
      const payload = params['payload']
      const text = payload === undefined || payload === '' ? '{}' : typeof payload === 'string' ? payload : JSON.stringify(payload)
      const answer = await operations['Invoke']!({ FunctionName: fn.arn, Payload: Buffer.from(text), LogType: 'Tail' }, op) as
        { StatusCode?: number; FunctionError?: string; LogResult?: string; Payload?: Uint8Array; ExecutedVersion?: string }
      const log = answer.LogResult === undefined ? '' : Buffer.from(answer.LogResult, 'base64').toString('utf8')
      return { statusCode: answer.StatusCode, functionError: answer.FunctionError ?? null, executedVersion: answer.ExecutedVersion,
        requestId: op.requestId, payload: Buffer.from(answer.Payload ?? new Uint8Array(0)).toString('utf8'),
        logs: log.split('\n').filter((line) => line !== '') }
    },
  }
}

function item(fn: LambdaFunction): ConsoleItem {
  const v = fn.latest
  return { id: fn.arn, name: fn.name, arn: fn.arn, account: fn.account, region: fn.region,
    fields: { runtime: v.runtime ?? 'image', handler: v.handler ?? null, memory: v.memorySize, timeout: v.timeout, versions: fn.versions.size,
      lastModified: isoTime(v.lastModified) } }
}

function detail(fn: LambdaFunction, ctx: LambdaContext, operations: Operations): ConsoleDetail {
  const op = ownerContext(fn.account, fn.region, ctx.clock, 'rest-json')
  const listed = operations['ListEventSourceMappings']!({ FunctionName: fn.arn }, op) as
    { EventSourceMappings?: Array<{ UUID?: string; EventSourceArn?: string; State?: string; BatchSize?: number }> }
  const mappings = listed.EventSourceMappings ?? []
  const v = fn.latest
  return {
    item: item(fn),
    sections: [
      { title: 'Configuration', kind: 'json', data: toConfiguration(fn, v) },
      { title: 'Versions', kind: 'table', data: { columns: [{ key: 'version', label: 'Version' }, { key: 'description', label: 'Description' },
        { key: 'lastModified', label: 'Last modified' }],
      rows: [...fn.versions.values()].map((x) => ({ version: x.version, description: x.description, lastModified: isoTime(x.lastModified) })) } },
      { title: 'Aliases', kind: 'table', data: { columns: [{ key: 'name', label: 'Alias' }, { key: 'version', label: 'Version' }],
        rows: [...fn.aliases.entries()].map(([name, a]) => ({ name, version: a.functionVersion })) } },
      { title: 'Event source mappings', kind: 'table', data: { columns: [{ key: 'source', label: 'Source' }, { key: 'state', label: 'State' },
        { key: 'batchSize', label: 'Batch size' }, { key: 'uuid', label: 'UUID' }],
      rows: mappings.map((m) => ({ source: m.EventSourceArn, state: m.State, batchSize: m.BatchSize, uuid: m.UUID })) } },
      { title: 'Tags', kind: 'kv', data: { ...fn.tags } },
    ],
    links: [
      { label: 'Log group', service: 'logs', type: 'log-group', id: v.logGroup },
      ...(v.deadLetterTargetArn === undefined ? [] : arnLink('Dead-letter queue', v.deadLetterTargetArn)),
      ...mappings.flatMap((m) => (m.EventSourceArn === undefined ? [] : arnLink('Event source', m.EventSourceArn))),
    ],
    actions: [{ name: 'invoke', label: 'Invoke', params: [{ key: 'payload', label: 'Payload (JSON)', kind: 'json' }] }],
    charts: [invocationChart(fn, ctx)],
  }
}

/** Invocations and errors per minute (every qualifier together), from the function's AWS/Lambda metric log. */
function invocationChart(fn: LambdaFunction, ctx: LambdaContext): ConsoleChart {
  const resources = ctx.metrics?.functions.get(LambdaMetricLog.key(fn.account, fn.region, fn.name))?.resources
  const byMinute = new Map<number, { invocations: number; errors: number }>()
  for (const buckets of resources?.values() ?? []) {
    for (const b of buckets.slice(-120)) {
      const sum = byMinute.get(b.t) ?? { invocations: 0, errors: 0 }
      sum.invocations += b.invocations
      sum.errors += b.errors
      byMinute.set(b.t, sum)
    }
  }
  const minutes = [...byMinute.keys()].sort((a, b) => a - b)
  return { title: 'Invocations per minute', series: [
    { label: 'Invocations', points: minutes.map((t) => [t, byMinute.get(t)!.invocations]) },
    { label: 'Errors', points: minutes.map((t) => [t, byMinute.get(t)!.errors]) },
  ] }
}
