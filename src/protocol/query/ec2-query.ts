// ec2Query: awsQuery's form bodies with EC2's member names ("Filter.1.Name", "InstanceId.1"),
// responses rooted at <Op>Response with a <requestId> and no Result wrapper, and EC2's own error envelope.
import type { AwsError } from '../errors.ts'
import type { HttpRequest, HttpResponse } from '../http.ts'
import type { MemberRef, OperationModel, ServiceModel } from '../model.ts'
import type { ParsedRequest, ResponseContext, WireProtocol } from '../wire-protocol.ts'
import { XmlWriter } from '../xml.ts'
import type { QueryDialect } from './query-input.ts'
import { writeMembers } from './query-output.ts'
import { parseQueryRequest } from './query.ts'

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/**
 * The SDKs name an EC2 input member by its queryName, else its locationName capitalised, else the
 * member name (botocore's EC2Serializer; `InstanceIds` travels as `InstanceId.N`, `DryRun` as `DryRun`).
 */
export const ec2QueryDialect: QueryDialect = {
  memberKey: (name: string, member: MemberRef) => member.queryName ?? (member.locationName !== undefined ? capitalize(member.locationName) : name),
  alwaysFlattened: true,
}

const parseRequest = (request: HttpRequest, model: ServiceModel): ParsedRequest => parseQueryRequest(request, model, ec2QueryDialect)

function serializeOutput(model: ServiceModel, operation: OperationModel, output: object, ctx: ResponseContext): HttpResponse {
  const root = `${operation.name}Response`
  // AWS's documents end the namespace with a slash; the model's metadata leaves it off.
  const ns = model.metadata.xmlNamespace ?? `http://ec2.amazonaws.com/doc/${model.metadata.apiVersion}`
  const w = new XmlWriter().open(root, { xmlns: ns.endsWith('/') ? ns : `${ns}/` })
  w.leaf('requestId', ctx.requestId)
  if (operation.output !== undefined) writeMembers(model, operation.output, output as Record<string, unknown>, w)
  w.close(root)
  return { status: 200, headers: xmlHeaders(ctx), body: w.toString() }
}

/** EC2's envelope: Response/Errors/Error with Code and Message, and RequestID spelled with a capital D. */
function serializeError(_model: ServiceModel, error: AwsError, ctx: ResponseContext): HttpResponse {
  const w = new XmlWriter().open('Response').open('Errors').open('Error')
  w.leaf('Code', error.code).leaf('Message', error.queryMessage ?? error.message).close('Error').close('Errors')
  w.leaf('RequestID', ctx.requestId).close('Response')
  return { status: error.status, headers: xmlHeaders(ctx), body: w.toString() }
}

function xmlHeaders(ctx: ResponseContext): Record<string, string> {
  return { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': ctx.requestId }
}

export const ec2Query: WireProtocol = { name: 'ec2', parseRequest, serializeOutput, serializeError }
