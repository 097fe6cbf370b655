// Every wire protocol by name. rest-json and rest-xml register here as they land.
import { awsJson } from './json-rpc/json-rpc.ts'
import type { ProtocolName } from './model.ts'
import { awsQuery } from './query/query.ts'
import type { WireProtocol } from './wire-protocol.ts'

export const protocols: Partial<Record<ProtocolName, WireProtocol>> = {
  json: awsJson,
  query: awsQuery,
}
