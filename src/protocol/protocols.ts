// Every wire protocol by name.
import { awsCbor } from './cbor/cbor-protocol.ts'
import { awsJson } from './json-rpc/json-rpc.ts'
import type { ProtocolName } from './model.ts'
import { ec2Query } from './query/ec2-query.ts'
import { awsQuery } from './query/query.ts'
import { restJson } from './rest-json/rest-json.ts'
import { restXml } from './rest-xml/rest-xml.ts'
import { rpcV2Cbor } from './rpc-v2-cbor/rpc-v2-cbor.ts'
import type { WireProtocol } from './wire-protocol.ts'

export const protocols: Partial<Record<ProtocolName, WireProtocol>> = {
  json: awsJson,
  cbor: awsCbor,
  query: awsQuery,
  ec2: ec2Query,
  'rest-json': restJson,
  'rest-xml': restXml,
  'rpc-v2-cbor': rpcV2Cbor,
}
