// MonitorInstances/UnmonitorInstances (basic ↔ detailed monitoring) and GetConsoleOutput.
import type { OperationTable } from '../../service.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { consoleLog, monitoringState, setMonitoring } from '../monitoring.ts'
import type { Ec2State } from '../store.ts'
import { checkId, regionOf } from './common.ts'
import { namedInstances } from './instances.ts'

export function monitoringOperations(state: Ec2State): OperationTable<Ec2Operations> {
  const switchTo = (enabled: boolean): OperationTable<Ec2Operations>['MonitorInstances'] => (input, ctx) => {
    const region = regionOf(state, input, ctx)
    const instances = namedInstances(region, input.InstanceIds)
    return {
      InstanceMonitorings: instances.map((i) => {
        setMonitoring(region, i, enabled)
        return { InstanceId: i.id, Monitoring: { State: monitoringState(i, region.now) } }
      }),
    }
  }
  return {
    MonitorInstances: switchTo(true),
    UnmonitorInstances: switchTo(false),

    GetConsoleOutput: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      checkId(input.InstanceId, 'i', 'InvalidInstanceID.Malformed')
      const [i] = namedInstances(region, [input.InstanceId])
      // Nothing is on the console before the first boot has got under way (AWS answers no Output then).
      if (i!.state === 'pending' && i!.metricLog?.runs.length === 1) return { InstanceId: i!.id, Timestamp: new Date(region.now) }
      return { InstanceId: i!.id, Timestamp: new Date(region.now), Output: Buffer.from(consoleLog(region, i!, state.processes?.describe(i!.id)?.output)).toString('base64') }
    },
  }
}
