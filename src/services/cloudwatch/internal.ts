// CloudWatch's port (port.ts) implemented: no HTTP between services.
import type { AlarmEngine } from './alarm-engine.ts'
import type { CloudWatchPort } from './port.ts'
import type { CloudWatchState } from './store.ts'

export function createCloudWatchPort(state: CloudWatchState, engine: AlarmEngine): CloudWatchPort {
  return {
    sourceChanged: (account, region, namespace, immediate) => engine.sourceChanged(account, region, namespace, immediate),
    publish: (account, region, namespace, data) => {
      const now = state.clock.now()
      state.putData(state.region(account, region), namespace, data.map((d) => ({
        name: d.metricName, dimensions: d.dimensions,
        point: { t: d.timestamp ?? now, n: 1, sum: d.value, min: d.value, max: d.value, values: [d.value], unit: d.unit ?? 'None', hr: false },
      })))
    },
  }
}
