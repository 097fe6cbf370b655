// Firehose's port (port.ts) implemented: the same rules as PutRecord, no HTTP between services.
import type { MetricSource } from '../cloudwatch/port.ts'
import { putOne } from './operations/records.ts'
import type { FirehosePort } from './port.ts'
import type { FirehoseState } from './store.ts'

export function createFirehosePort(state: FirehoseState, metrics: MetricSource): FirehosePort {
  return {
    metrics,
    putRecord: (account, region, name, data) => putOne(state, account, region, name, data, false).RecordId,
    exists: (account, region, name) => state.find(account, region, name) !== undefined,
  }
}
