// Nimbus's own EC2 endpoints (simulation hooks), under /_nimbus/ec2/:
//   POST instances/{id}/cpu     {"percent": 85}                         → the CPUUtilization it reports from then on
//   POST instances/{id}/status  {"system": "impaired", "instance": "ok"} → its status checks from then on
//   GET  instances/{id}/process → a process-backed instance's metadata endpoint and user data output
//   and the Spot hooks (spot/hooks.ts): interrupt, rebalance, spot/interrupt, spot/prices,
//   and the On-Demand limits (capacity-hooks.ts): capacity, quotas
import type { HttpRequest, HttpResponse } from '../../protocol/http.ts'
import { capacityHook, quotaHook } from './capacity-hooks.ts'
import { logValues } from './metric-log.ts'
import { isProcessBacked } from './processes/host.ts'
import { pinHook, spotInstanceHook } from './spot/hooks.ts'
import type { Ec2State } from './store.ts'

const json = (status: number, body: unknown): HttpResponse =>
  ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

function readJson(request: HttpRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(request.body.toString('utf8') || '{}')
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

function decodable(text: string): boolean {
  try {
    decodeURIComponent(text)
    return true
  } catch {
    return false
  }
}

export function ec2Hooks(state: Ec2State, request: HttpRequest, path: string): HttpResponse | undefined {
  // The ids below are percent-decoded: a malformed escape is the caller's error, not a URIError (500).
  if (!decodable(path)) return json(400, { error: 'the path has a malformed percent-encoding' })
  const spot = /^(?:instances\/([^/]+)\/(interrupt|rebalance)|spot\/(interrupt|prices))$/.exec(path)
  if (spot !== null) {
    if (request.method !== 'POST') return json(405, { error: 'use POST' })
    if (spot[1] !== undefined) return spotInstanceHook(state, decodeURIComponent(spot[1]), spot[2] as 'interrupt' | 'rebalance')
    const body = readJson(request)
    if (body === undefined) return json(400, { error: 'the body must be a JSON object' })
    if (spot[3] === 'prices') return pinHook(state, body)
    if (typeof body.instanceId !== 'string') return json(400, { error: '"instanceId" is required' })
    return spotInstanceHook(state, body.instanceId, 'interrupt')
  }
  const process = /^instances\/([^/]+)\/process$/.exec(path)
  if (process !== null) {
    if (request.method !== 'GET') return json(405, { error: 'use GET' })
    const id = decodeURIComponent(process[1]!)
    const described = state.processes?.describe(id)
    if (described !== undefined) return json(200, { instanceId: id, ...described })
    const found = state.findInstance(id)
    if (found === undefined) return json(404, { error: `no instance ${id}` })
    // A tagged instance still booting has no process yet: say so rather than deny it is one.
    if (isProcessBacked(found.instance) && found.instance.state === 'pending') {
      return json(404, { error: `${id} is pending: its process starts when it is running (on the clock: advance it past the boot)` })
    }
    return json(404, { error: `${id} is no process-backed instance (tag nimbus:process=true)` })
  }
  if (path === 'capacity' || path === 'quotas') {
    if (request.method !== 'POST') return json(405, { error: 'use POST' })
    const body = readJson(request)
    if (body === undefined) return json(400, { error: 'the body must be a JSON object' })
    return path === 'capacity' ? capacityHook(state, body) : quotaHook(state, body)
  }
  const match = /^instances\/([^/]+)\/(cpu|status)$/.exec(path)
  if (match === null) return undefined
  if (request.method !== 'POST') return json(405, { error: 'use POST' })
  const found = state.findInstance(decodeURIComponent(match[1]!))
  if (found === undefined) return json(404, { error: `no instance ${match[1]}` })
  const body = readJson(request)
  if (body === undefined) return json(400, { error: 'the body must be a JSON object' })
  const { region, instance } = found
  if (match[2] === 'cpu') {
    const percent = body.percent
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
      return json(400, { error: '"percent" must be a number from 0 to 100' })
    }
    instance.cpuPercent = percent
  } else {
    const { system, instance: check } = body
    const valid = (v: unknown) => v === undefined || v === 'ok' || v === 'impaired'
    if (!valid(system) || !valid(check) || (system === undefined && check === undefined)) {
      return json(400, { error: '"system" and/or "instance" must be "ok" or "impaired"' })
    }
    if (system !== undefined) instance.systemStatus = system as 'ok' | 'impaired'
    if (check !== undefined) instance.instanceStatus = check as 'ok' | 'impaired'
  }
  logValues(instance, region.now)
  region.save(instance)
  return json(200, { instanceId: instance.id, cpuPercent: instance.cpuPercent, system: instance.systemStatus, instance: instance.instanceStatus })
}
