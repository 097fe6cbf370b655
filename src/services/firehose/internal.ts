// Firehose's port (port.ts) implemented: the same rules as PutRecord, no HTTP between services.
import { putOne } from './operations/records.ts'
import type { FirehosePort } from './port.ts'
import type { FirehoseState } from './store.ts'

export function createFirehosePort(state: FirehoseState): FirehosePort {
  return {
    putRecord: (account, region, name, data) => putOne(state, account, region, name, data).RecordId,
    exists: (account, region, name) => state.find(account, region, name) !== undefined,
  }
}
