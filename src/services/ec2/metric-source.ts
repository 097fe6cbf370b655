// The AWS/EC2 metrics instances publish, as a metric source CloudWatch reads through its port: per
// instance (InstanceId dimension) CPUUtilization from the cpu hook, StatusCheckFailed[_System|_Instance]
// from the status hook, NetworkIn/NetworkOut (0: no traffic is simulated). Only while running; at
// 5-minute resolution (basic monitoring) or 1-minute (detailed), status checks always 1-minute.
import type { MetricSource, SourcedSeries } from '../cloudwatch/port.ts'
import { metricLog } from './metric-log.ts'
import type { InstanceRecord, MetricLog } from './resources.ts'
import type { Ec2State } from './store.ts'

type Values = MetricLog['values'][number]

interface Definition {
  unit: string
  combine: SourcedSeries['combine']
  value: (v: Values) => number
  /** Status checks are 1-minute metrics whatever the monitoring. */
  statusCheck?: boolean
}

const definitions: Record<string, Definition> = {
  CPUUtilization: { unit: 'Percent', combine: 'average', value: (v) => v.cpu },
  NetworkIn: { unit: 'Bytes', combine: 'average', value: () => 0 },
  NetworkOut: { unit: 'Bytes', combine: 'average', value: () => 0 },
  StatusCheckFailed: { unit: 'Count', combine: 'maximum', value: (v) => Math.max(v.system, v.instance), statusCheck: true },
  StatusCheckFailed_System: { unit: 'Count', combine: 'maximum', value: (v) => v.system, statusCheck: true },
  StatusCheckFailed_Instance: { unit: 'Count', combine: 'maximum', value: (v) => v.instance, statusCheck: true },
}

export const ec2MetricNames = Object.keys(definitions)

/** One metric of one instance as steps: the running intervals crossed with the hook values' changes. */
function seriesOf(i: InstanceRecord, name: string): SourcedSeries {
  const def = definitions[name]!
  const log = metricLog(i)
  const instants = new Set<number>()
  for (const r of log.runs) {
    instants.add(r.from)
    if (r.to !== undefined) instants.add(r.to)
  }
  for (const v of log.values) instants.add(v.t)
  const steps: SourcedSeries['steps'] = []
  let run = 0
  let value = 0
  for (const t of [...instants].sort((a, b) => a - b)) {
    while (run < log.runs.length && (log.runs[run]!.to ?? Infinity) <= t) run++
    const running = run < log.runs.length && log.runs[run]!.from <= t
    while (value + 1 < log.values.length && log.values[value + 1]!.t <= t) value++
    const v = log.values[value]!
    const step = { t, value: running ? def.value(v) : undefined, resolution: def.statusCheck === true || v.detailed ? 60 : 300 }
    const last = steps[steps.length - 1]
    if (last !== undefined && last.value === step.value && last.resolution === step.resolution) continue
    steps.push(step)
  }
  return { metricName: name, dimensions: [{ Name: 'InstanceId', Value: i.id }], unit: def.unit, combine: def.combine, steps }
}

export function ec2MetricSource(state: Ec2State): MetricSource {
  const regionOf = (account: string, region: string) => state.allRegions().find((r) => r.account === account && r.region === region)
  return {
    namespace: 'AWS/EC2',
    find: (account, region, metricName, dimensions) => {
      if (definitions[metricName] === undefined || dimensions.length !== 1 || dimensions[0]!.Name !== 'InstanceId') return undefined
      const found = state.findInstance(dimensions[0]!.Value)
      if (found === undefined || found.region.account !== account || found.region.region !== region) return undefined
      return seriesOf(found.instance, metricName)
    },
    list: (account, region) => (regionOf(account, region)?.allInstances() ?? [])
      .flatMap((i) => ec2MetricNames.map((name) => seriesOf(i, name))),
  }
}
