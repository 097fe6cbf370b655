// CloudTrail's port (port.ts) implemented over its state.
import type { CloudTrailPort } from './port.ts'
import type { CloudTrailState } from './store.ts'

export function createCloudTrailPort(state: CloudTrailState): CloudTrailPort {
  return {
    recordsData: (account, region) => state.recordsData(account, region),
    capture: (account, region, record, facts) => state.capture(account, region, record, facts),
  }
}
